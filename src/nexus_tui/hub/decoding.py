"""Turning a README file's bytes into text: refusing what is not text, finding the encoding, and
repairing text that was decoded with the wrong one somewhere along the way.

Pure functions, no Textual. Every refusal is a `HubTextError` whose message is a sentence for the
user: what is wrong with the file, and what to give instead.
"""

from __future__ import annotations

import codecs
import stat
from pathlib import Path

# A hub README is a few kilobytes; anything this large is another kind of file, and reading it
# whole would only make the user wait for a refusal.
MAX_README_BYTES = 5 * 1024 * 1024

# Single-byte encodings are tried only after UTF-8; each decodes almost any bytes, so a result is
# accepted only when it reads like Western text (mostly ASCII letters).
FALLBACK_ENCODINGS = ("cp1252", "latin-1")
_ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1 (ISO-8859-1)",
}
# In Western text decoded from a single-byte encoding, letters outside ASCII are a minority; text
# in another script saved in a legacy encoding (Cyrillic, Chinese...) is mostly bytes >= 0x80.
_MAX_NON_ASCII_LETTER_SHARE = 0.3
# Binary formats a README is sometimes confused with, named in the refusal.
_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive (or a Word or OpenDocument file)"),
    (b"\x7fELF", "a program"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
# Control bytes that never appear in text files (tab, line feed, form feed, carriage return and
# escape do).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_MAX_CONTROL_SHARE = 0.05
_ASCII_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_HIGH_BYTES = bytes(range(0x80, 0x100))
_C1_CONTROLS = frozenset(chr(code) for code in range(0x80, 0xA0))


class HubTextError(Exception):
    """A README that cannot be read as text; str() is a sentence saying what is wrong and what
    to do about it."""


def read_hub_text(path: Path) -> str:
    """The text of the README at `path`, decoded and repaired, or HubTextError."""
    name = path.name or str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise HubTextError(f"{path} was not found: check the path and try again.") from None
    except OSError as error:
        raise HubTextError(_unreadable(path, error)) from None
    if stat.S_ISDIR(info.st_mode):
        raise HubTextError(
            f"{path} is a folder, not a file: give the README's .md or .txt file inside it."
        )
    if info.st_size > MAX_README_BYTES:
        raise HubTextError(_too_large(name, info.st_size))
    try:
        with path.open("rb") as file:
            # At most one byte past the limit: a pipe or a device has no size to check first.
            data = file.read(MAX_README_BYTES + 1)
    except OSError as error:
        raise HubTextError(_unreadable(path, error)) from None
    if len(data) > MAX_README_BYTES:
        raise HubTextError(_too_large(name, len(data)))
    if not data:
        raise HubTextError(f"{name} is empty: give a README that has some text in it.")
    text = decode_hub_bytes(data, name)
    if not text.strip():
        raise HubTextError(
            f"{name} holds only blank space: give a README that has some text in it."
        )
    return text


def decode_hub_bytes(data: bytes, name: str = "the file") -> str:
    """README bytes as text with LF line ends, mis-decoded characters repaired; HubTextError when
    the bytes are binary or no encoding tried fits."""
    text = _decode_marked(data, name)
    if text is None:
        _refuse_binary(data, name)
        text = _decode_unmarked(data, name)
    if "\x00" in text:
        raise HubTextError(_binary(name, "a binary file"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return repair_text(text)


def repair_text(text: str) -> str:
    """Text with mojibake repaired: UTF-8 that was once decoded as Mac Roman ("I‚Äôve") or
    Windows-1252 ("Iâ€™ve") comes back as it was written. Text that was right stays unchanged.

    ftfy decides line by line (a README mixes damaged and intact lines, and intact lines in other
    scripts must never be "fixed"). ftfy only touches a line that looks damaged on its own; lines
    whose damage it cannot see alone (Mac Roman turns the first byte of every emoji into the
    Apple logo, U+F8FF, which ftfy does not count as suspicious) are repaired when the same
    re-decoding already repaired another line of the same text and it decodes them cleanly too.
    """
    if text.isascii():
        return text
    import ftfy  # ~140 ms: only when some text is not plain ASCII

    config = ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_encoding=True,
        # Reading a space as a lost U+00A0 turns correct text like "Â la carte" into damage.
        restore_byte_a0=False,
        # Would replace what it cannot recover with "�": the user's bytes are worth more.
        replace_lossy_sequences=False,
        # Would turn "Â " in correct text into a no-break space; a damaged line is repaired
        # whole or not at all.
        decode_inconsistent_utf8=False,
        fix_c1_controls=True,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=False,
        remove_control_chars=False,
        normalization=None,
        explain=True,
    )
    lines = text.split("\n")
    untouched: list[int] = []
    damage_encodings: list[str] = []
    for index, line in enumerate(lines):
        if line.isascii():
            continue
        fixed, plan = ftfy.fix_encoding_and_explain(line, config)
        if fixed != line:
            lines[index] = fixed
            encoding = _single_byte_misreading(plan or [])
            if encoding and encoding not in damage_encodings:
                damage_encodings.append(encoding)
        else:
            untouched.append(index)
    for encoding in damage_encodings:
        plan = [("encode", encoding), ("decode", "utf-8")]
        still_untouched = []
        for index in untouched:
            line = lines[index]
            try:
                fixed = ftfy.apply_plan(line, plan)
            except (UnicodeEncodeError, UnicodeDecodeError):
                still_untouched.append(index)
                continue
            lines[index] = fixed
        untouched = still_untouched
    return "\n".join(lines)


def _single_byte_misreading(plan: list[tuple[str, str]]) -> str | None:
    """The single-byte encoding a plan undid when it is exactly "encode as X, decode as UTF-8"."""
    if len(plan) == 2 and plan[0][0] == "encode" and plan[1] == ("decode", "utf-8"):
        return plan[0][1]
    return None


def _decode_marked(data: bytes, name: str) -> str | None:
    """Text whose encoding a byte-order mark names; None when there is no mark."""
    for mark, encoding, label in (
        (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
        (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
        (codecs.BOM_UTF8, "utf-8", "UTF-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
    ):
        if data.startswith(mark):
            try:
                return data[len(mark) :].decode(encoding)
            except UnicodeDecodeError:
                raise HubTextError(
                    f"{name} starts like {label} text but is not valid {label}: save it again "
                    "as UTF-8 and import that."
                ) from None
    return None


def _refuse_binary(data: bytes, name: str) -> None:
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise HubTextError(_binary(name, kind))
    if b"\x00" in data:
        if _utf16_without_mark(data) is None:
            raise HubTextError(_binary(name, "a binary file"))
        return
    controls = len(data.translate(None, _NOT_CONTROL_BYTES))
    if controls > _MAX_CONTROL_SHARE * len(data):
        raise HubTextError(_binary(name, "a binary file"))


def _decode_unmarked(data: bytes, name: str) -> str:
    if b"\x00" in data:
        text = _utf16_without_mark(data)
        if text is not None:
            return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _reads_as_western(data):
        for encoding in FALLBACK_ENCODINGS:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            c1 = sum(1 for char in text if char in _C1_CONTROLS) if encoding == "latin-1" else 0
            if c1 <= 0.01 * len(text):
                return text
    tried = ", ".join(_ENCODING_NAMES[key] for key in ("utf-8", "utf-16", *FALLBACK_ENCODINGS))
    raise HubTextError(
        f"{name} is not text in any encoding tried ({tried}): save it as UTF-8 and import it again."
    )


def _utf16_without_mark(data: bytes) -> str | None:
    """Text from UTF-16 bytes that lack a byte-order mark: NUL bytes at every other position
    (ASCII characters' high byte) give it away."""
    if len(data) % 2 or len(data) < 4:
        return None
    even_nuls, odd_nuls = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    if odd_nuls >= 0.3 * half and even_nuls == 0:
        encoding = "utf-16-le"
    elif even_nuls >= 0.3 * half and odd_nuls == 0:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text


def _reads_as_western(data: bytes) -> bool:
    ascii_letters = len(data) - len(data.translate(None, _ASCII_LETTERS))
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    return high <= _MAX_NON_ASCII_LETTER_SHARE * (ascii_letters + high)


def _binary(name: str, kind: str) -> str:
    return f"{name} looks like {kind}, not text: give the README's .md or .txt file."


def _too_large(name: str, size: int) -> str:
    return (
        f"{name} is {size / (1024 * 1024):.1f} MB, more than the "
        f"{MAX_README_BYTES // (1024 * 1024)} MB a README may be: give the README file itself."
    )


def _unreadable(path: Path, error: OSError) -> str:
    reason = error.strerror or type(error).__name__
    return f"{path} could not be read ({reason}): check that the file exists and you may read it."
