"""Property: any list written out in the data file's schema loads back equal."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dutycli.lists.load import parse
from dutycli.lists.model import Block, Department, DutyList, Item, ListInfo, Section
from dutycli.lists.serialize import dump_yaml
from dutycli.lists.validate import HTML_TAG, LEFTOVER_NUMBER

# Chinese, Latin, digits, full- and half-width punctuation, YAML's own
# indicators, quotes and spaces: the characters a list's text is made of.
ALPHABET = st.sampled_from(
    list("低保救助民政局街道社区残疾人员消防检查工作审核发放资金宣传")
    + list("abcXYZ0123456789 ，。、；：“”（）《》!?#&*|>-'\":%@`[]{},")
)


def _ok(text: str) -> bool:
    return bool(text.strip()) and not HTML_TAG.search(text) and not LEFTOVER_NUMBER.search(text)


texts = st.text(ALPHABET, min_size=1, max_size=40).filter(_ok)
steps = st.lists(
    st.one_of(texts, st.lists(texts, min_size=2, max_size=4).map("\n".join)).filter(_ok),
    min_size=1,
    max_size=4,
).map(tuple)


@st.composite
def duty_lists(draw: st.DrawFn) -> DutyList:
    names = draw(st.lists(texts, min_size=1, max_size=4, unique=True))
    alias_pool = draw(st.lists(texts.filter(lambda a: a not in names), max_size=6, unique=True))
    departments = tuple(
        Department(name, tuple(alias_pool[i :: len(names)])) for i, name in enumerate(names)
    )
    categories = tuple(draw(st.lists(texts, min_size=1, max_size=3, unique=True)))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=0, max_size=4, unique=True))
    items = []
    for item_id in ids:
        own = draw(st.lists(st.sampled_from(names), min_size=1, max_size=len(names), unique=True))
        blocks = tuple(
            Block((name,), draw(st.one_of(st.none(), st.just(f"{name}职责："))), draw(steps))
            for name in own
        )
        sections = tuple(
            Section(draw(st.one_of(st.none(), texts)), draw(steps))
            for _ in range(draw(st.integers(1, 2)))
        )
        items.append(
            Item(
                item_id,
                draw(texts),
                draw(st.sampled_from(categories)),
                tuple(own),
                blocks,
                draw(st.lists(texts, max_size=2).map(tuple)),
                sections,
            )
        )
    info = ListInfo(draw(texts), draw(texts), draw(texts), draw(st.one_of(st.none(), texts)))
    return DutyList(info, categories, departments, tuple(items))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(duty_lists())
def test_dump_then_load_is_identity(dl: DutyList) -> None:
    assert parse(dump_yaml(dl), "roundtrip.yaml") == dl
