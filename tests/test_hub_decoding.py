"""Reading README files: encodings, byte-order marks, line ends, mojibake, and refusals."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from nexus_tui.hub.decoding import (
    MAX_README_BYTES,
    HubTextError,
    decode_hub_bytes,
    read_hub_text,
    repair_text,
)

READMES = Path(__file__).parent / "data" / "readmes"
SEED = READMES / "project-nexus-README.txt"

# Text that is right as it is, in many scripts: repairing must leave every one byte-identical.
CORRECT_TEXTS = [
    "naïve café",
    "Größe und Maß – „Anführungszeichen“",
    "Ça va ? Très bien, merci. « Bonjour »",
    "¿Qué tal? ¡Hola, señor Muñoz!",
    "Ελληνικά: καλημέρα κόσμε",
    "Русский текст — пример",
    "中文文本，测试一下",
    "日本語のテキスト",
    "العربية: نص تجريبي",
    "עברית",
    "emoji 📌🧰🤝👍🏽 👨‍👩‍👧 🇰🇪",
    "∑ x² ≤ ∞, ∀x ∈ ℝ, √2 ≈ 1.414, π",
    "Â",
    "Â la carte",
    "Ã",
    "‚Hallo‘ sagte er",
    "“curly” ‘quotes’ — dashes – and an ellipsis…",
    "© 2024 ™ ® § ¶ ° ± ½ µs",
    "Æsir, Øresund, Ålborg, Œuvre",
    "I’ve said it: don’t uncurl",
    "tab\tseparated\tline",
]


def test_plain_utf8_is_read_as_it_is():
    assert decode_hub_bytes(b"# Hub\n\n- Python\n") == "# Hub\n\n- Python\n"


def test_a_utf8_byte_order_mark_is_dropped_and_crlf_becomes_lf():
    data = codecs.BOM_UTF8 + "# Hub\r\n\r\n- Django\r\n- naïve\rend".encode()
    assert decode_hub_bytes(data) == "# Hub\n\n- Django\n- naïve\nend"


@pytest.mark.parametrize(
    ("mark", "encoding"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
    ],
)
def test_utf16_and_utf32_with_a_byte_order_mark(mark, encoding):
    text = "# Hub 🧰\r\n\r\n- Größe\r\n"
    assert decode_hub_bytes(mark + text.encode(encoding)) == "# Hub 🧰\n\n- Größe\n"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_recognised(encoding):
    text = "# Hub\n\n- Python\n- Django REST Framework (DRF)\n"
    assert decode_hub_bytes(text.encode(encoding)) == text


def test_a_windows_1252_file_is_decoded():
    text = "# Café notes\n\n“Quotes” — and naïve résumé at 5 €\n"
    assert decode_hub_bytes(text.encode("cp1252")) == text


def test_a_latin1_file_is_decoded():
    text = "# Übersicht\n\nGröße, Maß, Straße, déjà vu, ñandú.\n"
    assert decode_hub_bytes(text.encode("latin-1")) == text


def test_latin1_is_the_last_resort_for_western_text_windows_1252_cannot_decode():
    # 0x81 is undefined in Windows-1252; one of them in a long Western text is still text.
    data = ("Notes about the café and naïve résumés. " * 5).encode("latin-1") + b"\x81\n"
    text = decode_hub_bytes(data)
    assert text.startswith("Notes about the café and naïve résumés.")


def test_windows_1252_mojibake_is_repaired():
    damaged = "Ask questions early — don’t build in isolation. 📌".encode().decode("cp1252")
    assert "â€" in damaged
    repaired = decode_hub_bytes(damaged.encode())
    assert repaired == "Ask questions early — don’t build in isolation. 📌"


def test_mac_roman_mojibake_of_the_seed_is_repaired_emoji_included():
    lines = [
        "ALX Project Nexus ‚Äì ProDev Backend Engineering",
        "best practices I‚Äôve acquired",
        "\uf8ffüìå Program Overview",
        "\uf8ffüß∞ Key Technologies Covered",
        "Start small: build from MVP ‚Üí refine ‚Üí optimize.",
    ]
    assert repair_text("\n".join(lines)).split("\n") == [
        "ALX Project Nexus – ProDev Backend Engineering",
        "best practices I’ve acquired",
        "📌 Program Overview",
        "🧰 Key Technologies Covered",
        "Start small: build from MVP → refine → optimize.",
    ]


@pytest.mark.parametrize("text", CORRECT_TEXTS)
def test_correct_text_stays_byte_identical(text):
    assert repair_text(text) == text
    assert decode_hub_bytes(text.encode()) == text


def test_correct_lines_stay_identical_next_to_damaged_ones():
    # A damaged line makes Mac Roman damage likely for the whole text; right lines stay right.
    text = "\n".join(["I‚Äôve learned a lot", *CORRECT_TEXTS])
    assert repair_text(text).split("\n") == ["I’ve learned a lot", *CORRECT_TEXTS]


def test_the_seed_is_repaired_whole():
    text = read_hub_text(SEED)
    lines = text.split("\n")
    assert lines[0] == "ALX Project Nexus – ProDev Backend Engineering"
    assert "📌 Program Overview" in lines
    assert "🤝 Collaboration – Key to Success" in lines
    assert "Ask questions early — don’t build in isolation." in lines
    for damage in ("‚Ä", "Ã", "â€", "\uf8ff", "üì"):
        assert damage not in text


def test_the_seed_copy_is_the_damaged_original():
    # The test data keeps the README exactly as it reached us: UTF-8 with Mac Roman damage.
    raw = SEED.read_bytes().decode("utf-8")
    assert raw.startswith("ALX Project Nexus ‚Äì ProDev")


@pytest.mark.parametrize("path", sorted(READMES.glob("*")), ids=lambda path: path.name)
def test_every_fixture_reads(path):
    assert read_hub_text(path).strip()


# -- refusals


def refusal(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(HubTextError) as raised:
        read_hub_text(path)
    message = str(raised.value)
    assert message.endswith(".")
    assert ": " in message  # what is wrong: what to do
    return message


def test_a_png_is_refused_by_name(tmp_path):
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    message = refusal(tmp_path, "README.png", data)
    assert message == (
        "README.png looks like a PNG image, not text: give the README's .md or .txt file."
    )


def test_a_pdf_is_refused(tmp_path):
    assert "PDF document" in refusal(tmp_path, "hub.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")


def test_bytes_with_nul_are_refused_as_binary(tmp_path):
    message = refusal(tmp_path, "hub.bin", b"# Hub\n\x00\x01\x02\x03 data \x00\xff")
    assert "hub.bin looks like a binary file" in message


def test_mostly_control_characters_are_refused_as_binary(tmp_path):
    message = refusal(tmp_path, "hub.dat", bytes([1, 2, 3, 4, 5, 6, 7, 8, 65]) * 50)
    assert "binary file" in message


def test_an_empty_file_is_refused(tmp_path):
    assert refusal(tmp_path, "README.md", b"") == (
        "README.md is empty: give a README that has some text in it."
    )


@pytest.mark.parametrize(
    "data",
    [
        b"   \n\n\t  \r\n",
        codecs.BOM_UTF8 + b"\n \n",
        codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"),
    ],
)
def test_a_file_of_blank_space_is_refused(tmp_path, data):
    assert "holds only blank space" in refusal(tmp_path, "README.md", data)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(HubTextError, match=r"was not found: check the path"):
        read_hub_text(tmp_path / "nowhere.md")


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(HubTextError, match=r"is a folder, not a file"):
        read_hub_text(tmp_path)


def test_a_50_mb_file_is_refused_from_its_size_without_being_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.md"
    with path.open("wb") as file:
        file.truncate(50 * 1024 * 1024)  # sparse: nothing is written

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    with pytest.raises(HubTextError) as raised:
        read_hub_text(path)
    assert str(raised.value) == (
        "huge.md is 50.0 MB, more than the 5 MB a README may be: give the README file itself."
    )


def test_a_file_just_over_the_limit_is_refused(tmp_path):
    path = tmp_path / "big.md"
    path.write_bytes(b"a" * (MAX_README_BYTES + 1))
    with pytest.raises(HubTextError, match="more than the 5 MB"):
        read_hub_text(path)


def test_bytes_that_are_no_text_encoding_name_the_encodings_tried(tmp_path):
    data = bytes(range(0x80, 0x100)) * 20
    message = refusal(tmp_path, "notes.md", data)
    assert message == (
        "notes.md is not text in any encoding tried (UTF-8, UTF-16, Windows-1252, "
        "Latin-1 (ISO-8859-1)): save it as UTF-8 and import it again."
    )


def test_text_in_a_legacy_non_western_encoding_is_refused_rather_than_garbled():
    data = "Привет, это мой README о Django и PostgreSQL.\n".encode("cp1251") * 3
    with pytest.raises(HubTextError, match="not text in any encoding tried"):
        decode_hub_bytes(data, "readme.txt")


def test_invalid_utf16_after_its_mark_is_refused():
    with pytest.raises(HubTextError, match="starts like UTF-16 text but is not valid UTF-16"):
        decode_hub_bytes(codecs.BOM_UTF16_LE + b"\x00\xd8a", "x.md")
