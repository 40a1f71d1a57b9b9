"""Personal-data detector and masker: real leaks found, every decoy left alone, nothing raw left."""
import random
import re
import time
from datetime import date, timedelta

import pytest

from crawler.extract.privacy import PiiHit, find_personal_data, luhn_ok, mask, mask_text

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id(area="330102", birth="19900101", seq="123"):
    body = area + birth + seq
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]


def bad_check(id18):
    """The same ID with a wrong check character."""
    return id18[:17] + next(c for c in "0123456789X" if c != id18[17])


def make_card(prefix="622202", length=16, body=None, rng=None):
    rng = rng or random.Random(7)
    digits = prefix + (body or "".join(str(rng.randint(0, 9)) for _ in range(length - len(prefix) - 1)))
    for check in "0123456789":
        if luhn_ok(digits + check):
            return digits + check
    raise AssertionError


def found(text):
    return [(h.kind, text[h.start:h.end]) for h in find_personal_data(text)]


def kinds(text):
    return [h.kind for h in find_personal_data(text)]


ID = make_id()                      # 330102199001011234 (the brief's example is a valid ID)
ID_X = next(make_id("110105", "19851231", f"{n:03d}") for n in range(1000)
            if make_id("110105", "19851231", f"{n:03d}").endswith("X"))
CARD = make_card()


# ---------------------------------------------------------------- identity cards

def test_valid_ids_are_found_and_masked():
    assert ID == "330102199001011234"
    text = f"申请人张三，身份证号{ID}，住址青溪街道。另：{ID_X}；{ID_X[:-1]}x。"
    hits = find_personal_data(text)
    assert [(h.kind, h.masked) for h in hits] == [
        ("id_card", "330102********1234"), ("id_card", ID_X[:6] + "*" * 8 + ID_X[-4:]),
        ("id_card", ID_X[:6] + "*" * 8 + ID_X[-4:-1] + "x")]
    assert all(text[h.start:h.end] in (ID, ID_X, ID_X[:-1] + "x") for h in hits)


@pytest.mark.parametrize("area,birth", [("110101", "19000101"), ("650102", "20000229"), ("910000", "19991231"),
                                        ("820000", "20101010"), ("540102", "19760615")])
def test_province_and_date_edges_that_are_valid(area, birth):
    assert kinds(f"身份证：{make_id(area, birth)}") == ["id_card"]


def test_grouped_and_full_width_ids():
    grouped = f"{ID[:6]} {ID[6:14]} {ID[14:]}"
    full = ID.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    text = f"证件号码：{grouped}；{full}"
    assert found(text) == [("id_card", grouped), ("id_card", full)]
    assert mask_text(text) == f"证件号码：330102 ******** 1234；{full[:6]}********{full[-4:]}"


@pytest.mark.parametrize("decoy", [
    "330102********1234",                              # already masked
    "3301021990****1234",
    "33010219900101****",
    bad_check(ID),                                     # checksum fails
    make_id("990102", "19900101"),                     # no such province
    make_id("100102", "19900101"),
    make_id("330102", "19990230"),                     # 30 February
    make_id("330102", "19000229"),                     # 1900 was not a leap year
    make_id("330102", "18991231"),                     # before 1900
    make_id("330102", (date.today() + timedelta(days=2)).strftime("%Y%m%d")),   # born in the future
    make_id("330102", "19901301"),                     # month 13
    "7" + ID,                                          # inside a longer digit run
    ID + "5",
    "ABC" + ID,                                        # glued to letters
    ID[:-1] + "XY",
])
def test_id_decoys(decoy):
    assert found(f"证件号：{decoy}。") == []


def test_uscc_is_not_an_id():
    assert found("统一社会信用代码：91330102MA2ABCDE1X，法定代表人：张三") == []
    assert found("统一社会信用代码：12330100470012345X") == []
    # an all-digit code that happens to validate as an ID: the 信用代码 label decides …
    assert found(f"统一社会信用代码：{ID}") == []
    assert found(f"信用代码 {ID}") == []
    # … unless an ID label comes after it
    assert kinds(f"统一社会信用代码：91330102MA2ABCDE1X，法定代表人身份证号：{ID}") == ["id_card"]


def test_order_numbers_and_url_ids_are_not_ids():
    for text in [f"订单号2024{ID}", f"http://x.gov.cn/art/2024/3/5/art_1229_{ID}.html", f"文号{ID}001",
                 f"{ID}-01", f"1.{ID}"]:
        assert found(text) == [], text


# ---------------------------------------------------------------- mobiles

@pytest.mark.parametrize("written,masked", [
    ("13800138000", "138****8000"),
    ("138-1234-5678", "138-****-5678"),
    ("138 1234 5678", "138 **** 5678"),
    ("19912345678", "199****5678"),
    ("１３８１２３４５６７８", "１３８****５６７８"),
])
def test_mobiles(written, masked):
    hits = find_personal_data(f"联系人：李四，电话：{written}。")
    assert [(h.kind, h.masked) for h in hits] == [("mobile", masked)]


def test_mobiles_with_country_code():
    for text, value in [("+86 138 1234 5678", "138 1234 5678"), ("+86-13812345678", "13812345678"),
                        ("+8613812345678", "13812345678"), ("(+86)13812345678", "13812345678"),
                        ("008613812345678", "13812345678")]:
        assert found(f"手机{text}") == [("mobile", value)], text
        assert "1234" not in mask_text(f"手机{text}").replace("5678", ""), text


@pytest.mark.parametrize("decoy", [
    "138****1234", "138-****-1234", "0571-86012345", "(0571)86012345", "（0571）86012345", "0571 8601 2345",
    "057186012345", "400-800-1234", "4008001234", "800-820-8820", "95588", "12312345678", "10086",
    "1381234567", "138123456789", "2024-13812345678", "t20240305_13812345678", "ID13812345678",
    "13812345678元", "13812345678 万元", "¥13812345678", "15000000000",
])
def test_mobile_decoys(decoy):
    assert found(f"咨询电话：{decoy}；") == [], decoy


def test_serial_labels_are_not_mobiles_unless_a_phone_label_follows():
    assert found("证书编号：13812345678") == []
    assert found("合同号13812345678") == []
    assert kinds("编号1 联系电话13812345678") == ["mobile"]
    assert kinds("序号：1，张三，13812345678") == ["mobile"]


# ---------------------------------------------------------------- bank cards

def test_bank_card_with_cue():
    card19 = make_card("621700", 19)
    for text, value in [(f"银行卡号：{CARD}", CARD),
                        (f"开户行：中国建设银行青溪支行，账号 {card19}", card19),
                        (f"{CARD}（社保卡）", CARD),
                        (f"卡号 {CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]}",
                         f"{CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]}"),
                        (f"储蓄卡{card19[:4]}-{card19[4:8]}-{card19[8:12]}-{card19[12:16]}-{card19[16:]}",
                         f"{card19[:4]}-{card19[4:8]}-{card19[8:12]}-{card19[12:16]}-{card19[16:]}")]:
        assert found(text) == [("bank_card", value)], text
    assert mask(CARD, "bank_card") == CARD[:4] + "*" * 8 + CARD[-4:]
    assert mask(f"{CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]}", "bank_card") == \
        f"{CARD[:4]} **** **** {CARD[12:]}"


def test_bank_card_needs_cue_luhn_and_a_person():
    bad = CARD[:-1] + str((int(CARD[-1]) + 1) % 10)
    assert not luhn_ok(bad)
    assert found(f"银行卡号：{bad}") == []                                    # Luhn fails
    assert found(f"项目编码{CARD}，请于三日内办理。") == []                    # no cue
    longer = next(CARD + d for d in "0123456789" if not luhn_ok(CARD + d))
    assert found(f"银行卡号：{longer}") == []                                 # the card is part of it
    assert found(f"户名：青溪区财政局，开户行：农行青溪支行，账号：{CARD}") == []   # an institution's account
    assert found(f"收款单位：青溪区教育局 账号{CARD}") == []
    assert kinds(f"户名：张三，开户行：农行青溪支行，账号：{CARD}") == ["bank_card"]
    assert found(f"档案编码{CARD}，非税收入缴款账户另行通知") == []             # cue of the next clause
    assert kinds(f"张三 {CARD}（社保卡）") == ["bank_card"]


def test_id_is_never_a_bank_card():
    assert kinds(f"银行卡号：{ID}") == ["id_card"]
    # an ID-shaped number failing its checksum is not relabelled a bank card even if Luhn passes
    mistyped = next(ID[:16] + d + c for d in "0123456789" for c in "0123456789"
                    if luhn_ok(ID[:16] + d + c) and ID[:16] + d + c != make_id(ID[:6], ID[6:14], ID[14:16] + d))
    assert found(f"银行账号：{mistyped}") == []


def test_grouped_card_after_a_year_and_tail_cell():
    grouped = f"{CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]}"
    assert found(f"2024 {grouped} 银行") == [("bank_card", grouped)]
    assert found(f"银行卡号 {grouped} 12 张三") == [("bank_card", grouped)]


def test_table_header_cue_reaches_down_its_rows():
    cards = [make_card("622848", 19, rng=random.Random(i)) for i in range(4)]
    rows = "\n".join(f"{i}\t姓名{i}\t{card}\t3000" for i, card in enumerate(cards, 1))
    text = f"2026年耕地地力保护补贴发放名单\n序号\t姓名\t一卡通账号\t金额（元）\n{rows}\n合计\t\t\t12000"
    assert kinds(text) == ["bank_card"] * 4
    # prose between the header and the number ends the table
    assert found(f"序号\t姓名\t银行卡号\n1\t张三\t9\n以上人员已核实。\n项目代码 {cards[0]} 已登记") == []


# ---------------------------------------------------------------- layouts, masking, context

def test_xlsx_table_layout():
    text = ("序号\t姓名\t身份证号码\t联系电话\n"
            "1\t张三\t330102199001011234\t13800138000\n"
            "2\t李*明\t330102********5678\t139****0000\n"
            "3\t王五\t" + make_id("440305", "19781108", "456") + "\t0571-86012345\n")
    assert kinds(text) == ["id_card", "mobile", "id_card"]
    masked = mask_text(text)
    assert "1\t张三\t330102********1234\t138****8000\n" in masked
    assert "2\t李*明\t330102********5678\t139****0000\n" in masked and "0571-86012345" in masked


def test_pdf_space_separated_row():
    assert kinds(f"1 张三 男 {ID} 13800138000 青溪街道") == ["id_card", "mobile"]


def test_mask_formats():
    assert mask("330102199001011234", "id_card") == "330102********1234"
    assert mask("13812345678", "mobile") == "138****5678"
    assert mask("+86 138 1234 5678", "mobile") == "+86 138 **** 5678"
    assert mask("6222021234567890128", "bank_card") == "6222***********0128"
    for value, kind in [("330102********1234", "id_card"), ("138****5678", "mobile")]:
        assert mask(value, kind) == value                       # idempotent on masked values
    assert set(mask("1234", "mobile")) == {"*"}                 # too short to keep anything
    with pytest.raises(KeyError):
        mask("1", "passport")


def test_context_is_short_and_masked():
    text = f"公示名单：1号张三身份证{ID}手机13800138000住址青溪街道幸福路88号"
    hits = find_personal_data(text)
    assert [h.kind for h in hits] == ["id_card", "mobile"]
    for hit in hits:
        assert isinstance(hit, PiiHit) and ID not in hit.context and "13800138000" not in hit.context
        assert len(hit.context) <= 12 + (hit.end - hit.start) + 12
        assert hit.masked in hit.context
    assert hits[0].context == "公示名单：1号张三身份证330102********1234手机138****800"


def test_mask_text_preserves_length_and_positions():
    text = f"甲\t{ID}\n乙 +86 138 1234 5678\n银行卡号：{CARD}\n"
    hits = find_personal_data(text)
    out = mask_text(text, hits)
    assert len(out) == len(text) and out == mask_text(text)
    for hit in hits:
        assert out[hit.start:hit.end] == hit.masked
    assert ID not in out and "1234 5678" not in out and CARD not in out
    assert mask_text("") == "" and find_personal_data("") == [] and mask_text("无") == "无"


# ---------------------------------------------------------------- a megabyte of pages

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红"
PROSE = ("为进一步做好政务公开工作，根据《中华人民共和国政府信息公开条例》有关规定，现将有关事项通知如下。"
         "各单位要高度重视，切实加强组织领导，认真履行职责，确保各项工作落到实处。联系电话：0571-86012345。"
         "青政办发〔2024〕12号文件已于2024年3月5日印发，统一社会信用代码：11330100002490123X。"
         "咨询热线：400-800-1234，服务时间为工作日上午9:00至12:00。详见http://www.qingxi.gov.cn/art/2024/3/5/art_1229_4812345.html。")


def _planted_document(rng):
    """~1 MB of notices and 公示 tables; returns (text, raw values planted)."""
    parts, raw = [], []
    today = date.today()
    while len(parts) < 11_000:                     # ≈ 1 MB of UTF-8
        parts.append(PROSE)
        parts.append("\n序号\t姓名\t身份证号\t联系电话\t一卡通账号\t金额\n")
        for i in range(1, rng.randint(5, 30)):
            birth = date(1940, 1, 1) + timedelta(days=rng.randint(0, (today - date(1940, 1, 1)).days - 1))
            id18 = make_id(rng.choice(["330102", "330106", "110105", "440305", "510107", "650102"]),
                           birth.strftime("%Y%m%d"), f"{rng.randint(0, 999):03d}")
            mobile = f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}"
            card = make_card("6228480", 19, rng=rng)
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            if rng.random() < 0.3:                # a leak
                raw += [id18, mobile, card]
                parts.append(f"{i}\t{name}\t{id18}\t{mobile}\t{card}\t{rng.randint(1, 99) * 100}\n")
            else:                                 # properly masked row
                parts.append(f"{i}\t{name[0]}*{name[1:]}\t{mask(id18, 'id_card')}\t{mask(mobile, 'mobile')}\t"
                             f"{mask(card, 'bank_card')}\t{rng.randint(1, 99) * 100}\n")
        if rng.random() < 0.3:
            mobile = f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}"
            grouped = f"{mobile[:3]}-{mobile[3:7]}-{mobile[7:]}"
            raw.append(grouped)
            parts.append(f"如有疑问请联系经办人{rng.choice(SURNAMES)}老师，手机{grouped}。")
    return "".join(parts), raw


def test_megabyte_of_pages_leaves_no_raw_value():
    text, raw = _planted_document(random.Random(2026))
    assert len(text.encode()) > 900_000 and len(raw) > 500
    start = time.perf_counter()
    hits = find_personal_data(text)
    elapsed = time.perf_counter() - start
    masked = mask_text(text, hits)
    assert len(masked) == len(text)
    assert sorted(text[h.start:h.end] for h in hits) == sorted(raw)       # every leak, nothing else
    # every raw value would sit inside a run of digits/X/dashes at least as long as itself
    raw_set, lengths = set(raw), {len(v) for v in raw}
    runs = re.findall(r"[0-9Xx\-]{11,}", masked)
    leaked = [run[i:i + n] for run in runs for n in lengths for i in range(len(run) - n + 1)
              if run[i:i + n] in raw_set]
    assert leaked == [] and not any(value in masked for value in raw[::50])
    assert find_personal_data(masked) == []
    assert elapsed < 5, f"{elapsed:.2f}s for 1 MB"                          # really ≈ 0.05 s
