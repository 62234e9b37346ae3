; NSIS installer for Branch Desk (支部工作台), Windows 10 1809+ / 11, x64. Built on Linux by
; packaging/windows/build.sh (Debian's makensis), which passes the defines below:
;   makensis -DVERSION=0.1.0 -DSRCDIR=dist/windows/branchdesk -DOUTFILE=dist/windows/x-setup.exe
;            -DICON=build/branchdesk.ico packaging/windows/branchdesk.nsi
; Per-user: installs to %LOCALAPPDATA%\Programs\BranchDesk without administrator rights (locked-down office laptops),
; Start-menu folder, optional desktop shortcut, an uninstall entry under HKCU. The uninstaller removes the program
; only: the branch's data in %LOCALAPPDATA%\BranchDesk (database, backups, logs) stays.
; (Inno Setup was dropped: its Simplified Chinese messages are not part of Inno Setup 6, and it cannot be built here.)

; A 64-bit installer: it installs a 64-bit program, and the wine used for the test has no 32-bit part.
Target amd64-unicode
ManifestDPIAware true
ManifestSupportedOS Win10
SetCompressor /SOLID lzma

!include MUI2.nsh
!include LogicLib.nsh
!include WinVer.nsh
!include x64.nsh

!define APPNAME "支部工作台"
!define APPKEY "BranchDesk"
!define APPEXE "branchdesk.exe"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPKEY}"
; Windows 10 1809 is build 17763: the oldest Windows that Qt 6 supports.
!define MINBUILD 17763

Name "${APPNAME}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APPKEY}"
InstallDirRegKey HKCU "Software\${APPKEY}" "InstallDir"
BrandingText "${APPNAME} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APPNAME} 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "CompanyName" "Branch Desk"
VIAddVersionKey /LANG=2052 "LegalCopyright" "Branch Desk"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_NODESC
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APPEXE}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

Function .onInit
  ${IfNot} ${RunningX64}
  ${OrIfNot} ${AtLeastWin10}
  ${OrIfNot} ${AtLeastBuild} ${MINBUILD}
    MessageBox MB_OK|MB_ICONSTOP "${APPNAME}需要 64 位的 Windows 10（1809 版或更新）或 Windows 11。$\r$\n\
本机的 Windows 版本过旧，无法安装。请升级 Windows 后再安装。" /SD IDOK
    Abort
  ${EndIf}
FunctionEnd

Section "${APPNAME}（必需）" SecMain
  SectionIn RO
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  ; A reinstall or update replaces the program folder; an older _internal could hold stale modules.
  RMDir /r "$INSTDIR\_internal"
  File /r "${SRCDIR}/*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateDirectory "$SMPROGRAMS\${APPNAME}"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk" "$INSTDIR\${APPEXE}"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\卸载${APPNAME}.lnk" "$INSTDIR\uninstall.exe"
  WriteRegStr HKCU "Software\${APPKEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "Branch Desk"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\${APPEXE}"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
SectionEnd

Section "桌面快捷方式" SecDesktop
  SetShellVarContext current
  CreateShortcut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\${APPEXE}"
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  ; The program files only: the data folder %LOCALAPPDATA%\BranchDesk is never touched.
  Delete "$INSTDIR\branchdesk.exe"
  Delete "$INSTDIR\branchdesk-cli.exe"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$DESKTOP\${APPNAME}.lnk"
  Delete "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk"
  Delete "$SMPROGRAMS\${APPNAME}\卸载${APPNAME}.lnk"
  RMDir "$SMPROGRAMS\${APPNAME}"
  DeleteRegKey HKCU "${UNINSTKEY}"
  DeleteRegKey HKCU "Software\${APPKEY}"
SectionEnd
