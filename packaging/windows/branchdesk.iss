; Inno Setup script for Branch Desk (支部工作台) on Windows.
; Build the one-folder bundle first on a Windows machine (bash packaging/build.sh in Git Bash, or
; `pyinstaller packaging\branchdesk.spec`), then compile this script with Inno Setup 6:
;   iscc packaging\windows\branchdesk.iss
; It cannot be built on the Linux development machines; keep AppVersion in step with pyproject.toml.

#define AppName "支部工作台"
#define AppExe "branchdesk.exe"
#define AppVersion "0.1.0"

[Setup]
AppId={{7B0E4E61-3C55-4C1B-9C1A-5B2D0E7A1B31}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Branch Desk
DefaultDirName={autopf}\BranchDesk
DefaultGroupName={#AppName}
OutputBaseFilename=BranchDesk-{#AppVersion}-setup
OutputDir=..\..\dist
SetupIconFile=..\..\build\branchdesk.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2
SolidCompression=yes
; Per-user install works without administrator rights on locked-down office laptops.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
WizardStyle=modern
ShowLanguageDialog=no

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "在桌面创建快捷方式"; GroupDescription: "附加图标:"

[Files]
Source: "..\..\dist\branchdesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\卸载 {#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "启动 {#AppName}"; Flags: nowait postinstall skipifsilent

; Uninstalling never touches the data folder (%LOCALAPPDATA%\BranchDesk): the branch's records stay.
