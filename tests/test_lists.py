"""The list widgets' own parts, apart from the screens that use them."""

from rich.text import Text
from textual.widgets import Tree

from nexus_tui.widgets.lists import KeyTree


def test_key_tree_measures_labels_as_tree_renders_them():
    # KeyTree measures a line without rendering its label; the scroll area must come out the
    # same width as Tree's own measure, for branches open and closed and for wide characters.
    tree: KeyTree[None] = KeyTree("Topics")
    labels = ["Security", "数据库 索引", "Emoji 🧪 tests", "", "x" * 80]
    for text in labels:
        branch = tree.root.add(Text(text), expand=True)
        leaf = branch.add_leaf(Text(f"{text} leaf"))
        closed = tree.root.add(Text(text), expand=False)
        closed.add_leaf("hidden")
        for node in (branch, leaf, closed):
            assert tree.get_label_width(node) == Tree.get_label_width(tree, node), text


def test_key_tree_shows_a_plain_string_label_as_it_is():
    # Tree reads a string label as Rich markup; KeyTree never does (a name is text, and the
    # markup parser is not loaded for it). A label is still one line.
    tree: KeyTree[None] = KeyTree("[bold]Topics[/bold] :smile:")
    assert tree.root.label.plain == "[bold]Topics[/bold] :smile:"
    leaf = tree.root.add_leaf("first line\nsecond line")
    assert leaf.label.plain == "first line"
    assert tree.root.add_leaf(Text("[red]x[/red]")).label.plain == "[red]x[/red]"
