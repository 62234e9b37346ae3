"""Check every use Qt makes of ICU against the ICU data a Linux bundle carries (packaging/linux/slim_icu.py).

    python packaging/linux/icu_probe.py dist/branchdesk     # exit 0 when every check passes

Run with a Python whose PySide6 is the one the bundle was built from: the probe restarts itself with the bundle's
``libicudata`` preloaded, so Qt finds its ICU data in the bundle's library instead of the wheel's (the same soname is
loaded once), and says which one it used. The checks are what Qt6Core asks ICU for: collation (Chinese by pinyin,
Han before Latin, numbers by value, as the file dialog sorts), the Chinese code pages, the Chinese name of a time
zone and locale-aware case mapping.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PRELOADED = "BRANCHDESK_ICU_PROBE"


def _checks() -> dict[str, bool]:
    from PySide6.QtCore import QCollator, QCoreApplication, QLocale, QStringDecoder, QTimeZone

    _app = QCoreApplication([])
    chinese = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    collator = QCollator(chinese)
    numeric = QCollator(chinese)
    numeric.setNumericMode(True)
    name = QTimeZone(b"Asia/Shanghai").displayName(
        QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, chinese
    )
    return {
        "collation: pinyin, Han before Latin": sorted(
            ["张三", "Zoe", "李四", "王五", "安"], key=collator.sortKey
        )
        == ["安", "李四", "王五", "张三", "Zoe"],
        "collation: numbers by value": sorted(["文件10", "文件2"], key=numeric.sortKey)
        == ["文件2", "文件10"],
        "codecs: GB18030 GBK GB2312 Big5": all(
            QStringDecoder(codec).isValid() for codec in ("GB18030", "GBK", "GB2312", "Big5")
        ),
        "time zone name in Chinese": name == "中国标准时间",
        "case mapping by locale": QLocale("tr_TR").toUpper("i") == "İ"
        and chinese.toUpper("straße") == "STRASSE",
    }


def main() -> int:
    bundle = Path(sys.argv[1]).resolve()
    library = next(bundle.rglob("libicudata.so.*")).resolve()  # the file, not PyInstaller's link to it
    if os.environ.get(PRELOADED) != str(library):
        env = {
            **os.environ,
            PRELOADED: str(library),
            "LD_PRELOAD": str(library),
            "QT_QPA_PLATFORM": "offscreen",
        }
        return subprocess.run([sys.executable, __file__, str(bundle)], env=env, check=False).returncode
    maps = Path("/proc/self/maps").read_text(encoding="utf-8")
    used = {line.split()[-1] for line in maps.splitlines() if "libicudata" in line}
    print(f"ICU data used: {', '.join(sorted(used))} ({library.stat().st_size / 1e6:.1f} MB)")
    results = {**_checks(), "the bundle's ICU data was used": used == {str(library)}}
    for check, ok in results.items():
        print(f"ICU {check:<36} {'ok' if ok else 'FAILED'}")
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
