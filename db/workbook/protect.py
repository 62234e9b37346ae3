"""Password protection of monthly workbooks (ECMA-376 agile encryption, as Excel does it) with msoffcrypto-tool.

A branch may encrypt its monthly workbook with a password agreed with headquarters, so a workbook lost on a USB
stick or forwarded by mistake reveals nothing. Reading an encrypted workbook decrypts it into a private
temporary folder first; everything after that (the guards against hostile files, the parser) sees a plain .xlsx.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from db.errors import BranchDeskError, Problem, ValidationError

MIN_PASSWORD_LENGTH = 6
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_password(password: str) -> None:
    """Refuse a password too short to protect anything (``ValidationError``)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError([Problem("password", f"工作簿密码至少 {MIN_PASSWORD_LENGTH} 位")])


def is_ole(path: Path) -> bool:
    """An OLE container: an encrypted workbook, or an old binary .xls."""
    with open(path, "rb") as f:
        return f.read(len(OLE_MAGIC)) == OLE_MAGIC


def encrypt_file(src: Path, dst: Path, *, password: str) -> None:
    """Write ``src`` (a plain .xlsx) encrypted with ``password`` to ``dst``, flushed to disk."""
    # Lazy (here and in ``decrypted_copy``): msoffcrypto costs ~70 ms to import (python -X importtime) and only
    # password-protected workbooks need it; this module is loaded at GUI start-up through the exchange page.
    from msoffcrypto.format.ooxml import OOXMLFile

    check_password(password)
    with open(src, "rb") as plain, open(dst, "wb") as out:
        OOXMLFile(plain).encrypt(password, out)
        out.flush()
        os.fsync(out.fileno())


def decrypted_copy(path: Path, *, password: str) -> Path:
    """Decrypt ``path`` into a new private temporary folder, under the same file name (so messages name the
    file the user chose). The caller removes the folder (``path.parent``). Raises ``BranchDeskError`` with a
    Chinese message for a wrong password or a file that is not an encrypted workbook."""
    import msoffcrypto
    from msoffcrypto.exceptions import DecryptionError, FileFormatError, InvalidKeyError

    folder = Path(tempfile.mkdtemp(prefix="branchdesk-"))
    target = folder / path.name
    try:
        with open(path, "rb") as f:
            office = msoffcrypto.OfficeFile(f)
            if not office.is_encrypted():
                raise BranchDeskError(
                    f"文件「{path.name}」是旧版 .xls 格式，无法读取。请在 Excel 中另存为 .xlsx 后再导入。"
                )
            office.load_key(password=password)
            with open(target, "wb") as out:
                office.decrypt(out)
    except InvalidKeyError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise BranchDeskError(f"文件「{path.name}」的工作簿密码不正确，请核对与上级约定的密码。") from exc
    except (DecryptionError, FileFormatError, ValueError, OSError) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise BranchDeskError(f"无法解密文件「{path.name}」：文件已损坏或不是加密的 Excel 工作簿。") from exc
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return target
