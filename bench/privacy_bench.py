"""Privacy-scan benchmark: govaudit's personal-data detector against a naive regex baseline.

    .venv/bin/python bench/privacy_bench.py [--mb 20] [--repeat 3] [--seed 2026]

1. generates --mb MB (UTF-8) of deterministic Chinese government text as documents of
   8–40 KB, the way the crawler sees pages and attachment texts: notices and news (dates,
   文号, office landlines, 400/12345 hotlines, URLs with long ids, amounts, 统一社会信用代码),
   公示 tables (tab-separated rows as xlsx extraction gives them, mostly masked, some raw),
   enterprise lists (统一社会信用代码, landlines) and a share of hard decoys (order numbers,
   checksum-failing and impossible IDs, Luhn-failing cards, cards with no bank cue,
   institutional accounts, 11-digit serials);
2. times `find_personal_data` (and find + `mask_text`, what the crawler runs) per document,
   and in the same run a naive baseline: one regex per kind and no validation
   (`\\d{17}[\\dXx]`, `1[3-9]\\d{9}`, `\\d{16,19}`);
3. prints MB/s of both (median of --repeat passes), the ratio, and precision/recall of each
   against the planted raw values (a flag is right when kind and span match a planted value).

Only a measurement: exits 0 whatever the figures. Nothing is written to disk.
"""
from __future__ import annotations

import argparse
import platform
import random
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.dont_write_bytecode = True

from crawler.extract.privacy import find_personal_data, luhn_ok, mask, mask_text  # noqa: E402

NAIVE = (("id_card", re.compile(r"\d{17}[\dXx]")), ("mobile", re.compile(r"1[3-9]\d{9}")),
         ("bank_card", re.compile(r"\d{16,19}")))
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
AREAS = ["330102", "330106", "330110", "110105", "310115", "440305", "510107", "420106", "610113",
         "650102", "370212", "320583", "350203", "130104", "210202", "230103"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志宏海波德林"
UNITS = ["青溪区教育局", "青溪区民政局", "青溪区人力资源和社会保障局", "青溪区卫生健康局", "青溪区财政局",
         "青溪区农业农村局", "青溪街道办事处", "青溪区市场监督管理局"]
SENTENCES = [
    "为深入贯彻落实党中央、国务院决策部署，进一步做好政务公开工作，现将有关事项通知如下。",
    "各单位要高度重视，切实加强组织领导，明确责任分工，确保各项工作落到实处。",
    "根据《中华人民共和国政府信息公开条例》规定，结合我区实际，制定本实施方案。",
    "会议强调，要坚持以人民为中心的发展思想，着力解决群众急难愁盼问题。",
    "本次活动共吸引{n}余名群众参与，发放宣传资料{m}份，现场解答咨询{k}人次。",
    "{y}年全区完成固定资产投资{a}亿元，同比增长{p}%，一般公共预算收入{b}万元。",
    "请各乡镇（街道）于{y}年{mo}月{d}日前将材料报送至区政府办公室。",
    "联系人：{s}老师，联系电话：0571-{tel}，传真：0571-{fax}。",
    "咨询热线：400-{h1}-{h2}，政务服务热线：12345，服务时间为工作日上午9:00至12:00。",
    "原文链接：http://www.qingxi.gov.cn/art/{y}/{mo}/{d}/art_1229_{aid}.html",
    "相关文件：http://www.qingxi.gov.cn/zwgk/{y}{mo:02d}/t{y}{mo:02d}{d:02d}_{aid}.html",
    "青政办发〔{y}〕{n2}号文件已于{y}年{mo}月{d}日印发，请认真贯彻执行。",
    "监督电话：（0571）{tel}，电子邮箱：qxzwgk@qingxi.gov.cn。",
    "该项目总投资{a}万元，其中中央预算内资金{b}万元，项目编号QX-{y}-{n2:04d}。",
    "经审核，符合条件的申请对象共{n}户，现予以公示，公示期为{y}年{mo}月{d}日至{y}年{mo}月{d2}日。",
    "如对公示对象有异议，请在公示期内以书面形式向{unit}反映。",
    "统一社会信用代码：{uscc}，法定代表人：{name}，住所：青溪区幸福路{n2}号。",
    "{unit}非税收入缴款账户：户名：{unit}，开户行：中国农业银行青溪支行，账号：{orgacct}。",
]


def make_id(area: str, birth: str, seq: str) -> str:
    body = area + birth + seq
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]


def luhn_complete(prefix: str) -> str:
    return next(prefix + c for c in "0123456789" if luhn_ok(prefix + c))


def luhn_break(card: str) -> str:
    return card[:-1] + next(c for c in "0123456789" if not luhn_ok(card[:-1] + c))


@dataclass
class Doc:
    kind: str
    parts: list[str] = field(default_factory=list)
    length: int = 0
    planted: list[tuple[str, int, int]] = field(default_factory=list)   # raw leaks: (kind, start, end)
    decoys: int = 0

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def plant(self, kind: str, value: str) -> None:
        self.planted.append((kind, self.length, self.length + len(value)))
        self.add(value)

    def text(self) -> str:
        return "".join(self.parts)


class Gen:
    def __init__(self, seed: int):
        self.r = random.Random(seed)
        self.today = date.today()

    def name(self) -> str:
        return self.r.choice(SURNAMES) + "".join(self.r.choice(GIVEN) for _ in range(self.r.randint(1, 2)))

    def id18(self) -> str:
        r = self.r
        birth = date(1940, 1, 1) + timedelta(days=r.randint(0, (self.today - date(1940, 1, 1)).days - 1))
        return make_id(r.choice(AREAS), birth.strftime("%Y%m%d"), f"{r.randint(0, 999):03d}")

    def mobile(self) -> str:
        return f"1{self.r.choice('3456789')}{self.r.randint(0, 999_999_999):09d}"

    def card(self) -> str:
        r = self.r
        prefix, n = r.choice([("622848", 19), ("621700", 19), ("622202", 19), ("623668", 19), ("622588", 16),
                              ("625801", 16), ("621483", 16)])
        return luhn_complete(prefix + "".join(str(r.randint(0, 9)) for _ in range(n - len(prefix) - 1)))

    def uscc(self) -> str:
        r = self.r
        code = r.choice(["91", "92", "12", "11", "52"]) + r.choice(AREAS)
        return code + "".join(r.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(10))

    def sentence(self) -> str:
        r = self.r
        y = r.randint(2018, 2026)
        return r.choice(SENTENCES).format(
            n=r.randint(10, 5000), m=r.randint(100, 20000), k=r.randint(10, 900), y=y, mo=r.randint(1, 12),
            d=r.randint(1, 28), d2=r.randint(1, 28), a=r.randint(1, 9999), b=r.randint(100, 999999),
            p=round(r.uniform(0.5, 15), 1), s=r.choice(SURNAMES), tel=r.randint(8600_0000, 8799_9999),
            fax=r.randint(8600_0000, 8799_9999), h1=r.randint(100, 999), h2=r.randint(1000, 9999),
            aid=r.randint(1_000_000, 99_999_999), n2=r.randint(1, 300), unit=r.choice(UNITS),
            uscc=self.uscc(), name=self.name(), orgacct=self.card())

    # ------------------------------------------------------------ document kinds

    def notice(self, size: int) -> Doc:
        doc, r = Doc("notice"), self.r
        doc.add(f"{r.choice(UNITS)}关于{r.choice(['开展', '做好', '印发', '公布'])}有关工作的通知\n")
        while doc.length < size:
            paragraph = "".join(self.sentence() for _ in range(r.randint(2, 6)))
            doc.add(paragraph)
            doc.decoys += paragraph.count("账号：")          # institutional account: not personal
            if r.random() < 0.04:                             # a contact mobile left in full
                doc.add("，经办人手机：")
                mobile = self.mobile()
                if r.random() < 0.3:
                    mobile = f"{mobile[:3]}-{mobile[3:7]}-{mobile[7:]}"
                doc.plant("mobile", mobile)
            elif r.random() < 0.05:
                doc.add(f"，联系手机：{mask(self.mobile(), 'mobile')}")
            doc.add("\n")
        return doc

    def roster(self, size: int) -> Doc:
        """A 公示 list as xlsx/docx extraction gives it: tab-separated rows."""
        doc, r = Doc("roster"), self.r
        leaky = r.random() < 0.35                         # this list was published unmasked (in part)
        doc.add(f"{r.choice(UNITS)}{r.randint(2020, 2026)}年{r.choice(['城乡低保', '临时救助', '耕地地力保护补贴', '就业补助', '高龄津贴'])}发放名单\n")
        doc.add("序号\t姓名\t性别\t身份证号码\t联系电话\t一卡通账号\t金额（元）\t备注\n")
        i = 0
        while doc.length < size:
            i += 1
            name, id18, mobile, card = self.name(), self.id18(), self.mobile(), self.card()
            doc.add(f"{i}\t")
            raw = leaky and r.random() < 0.5
            if raw:
                doc.add(f"{name}\t{r.choice('男女')}\t")
                doc.plant("id_card", id18)
                doc.add("\t")
                doc.plant("mobile", mobile)
                doc.add("\t")
                doc.plant("bank_card", card)
            else:
                doc.add(f"{name[0]}*{name[2:]}\t{r.choice('男女')}\t{mask(id18, 'id_card')}\t{mask(mobile, 'mobile')}\t"
                        f"{mask(card, 'bank_card')}")
            doc.add(f"\t{r.randint(1, 60) * 50}\t{r.choice(['', '', '新增', '续保'])}\n")
        doc.add(f"合计\t\t\t\t\t\t{r.randint(10000, 99999)}\t\n公示期：{r.randint(2020, 2026)}年{r.randint(1, 12)}月"
                f"{r.randint(1, 28)}日至次月。监督电话：0571-{r.randint(8600_0000, 8799_9999)}\n")
        return doc

    def companies(self, size: int) -> Doc:
        doc, r = Doc("companies"), self.r
        doc.add("序号\t企业名称\t统一社会信用代码\t法定代表人\t联系电话\t检查结果\n")
        i = 0
        while doc.length < size:
            i += 1
            phone = f"0571-{r.randint(8600_0000, 8799_9999)}" if r.random() < 0.7 else mask(self.mobile(), "mobile")
            doc.add(f"{i}\t青溪{r.choice(['宏达', '兴盛', '恒源', '瑞丰', '新华'])}{r.choice(['贸易', '建材', '餐饮', '科技'])}"
                    f"有限公司\t{self.uscc()}\t{self.name()}\t{phone}\t{r.choice(['合格', '责令整改', '已办结'])}\n")
        return doc

    def decoys(self, size: int) -> Doc:
        """Numbers a naive scan flags and a careful one must not."""
        doc, r = Doc("decoys"), self.r
        while doc.length < size:
            id18, card = self.id18(), self.card()
            choice = r.randrange(10)
            if choice == 0:
                value = f"订单号：{r.randint(10**19, 10**21)}，"
            elif choice == 1:
                value = f"证件号码：{id18[:17] + next(c for c in '0123456789X' if c != id18[17])}（校验位错误），"
            elif choice == 2:
                value = f"档案号{make_id('990000', id18[6:14], '001')}，"            # no such province
            elif choice == 3:
                value = f"编码{make_id(id18[:6], '19990230', '123')}，"              # 30 February
            elif choice == 4:
                value = f"银行卡号：{luhn_break(card)}（无效），"
            elif choice == 5:
                value = f"项目代码{card}已登记，"                                    # Luhn-valid, no bank cue
            elif choice == 6:
                value = f"证书编号：{self.mobile()}，"                               # a serial, not a phone
            elif choice == 7:
                value = f"统一社会信用代码：{make_id(id18[:6], id18[6:14], '000')}，"   # all-digit code
            elif choice == 8:
                value = f"收款单位：{r.choice(UNITS)}，账号{card}，"                    # institution account
            else:
                value = f"http://www.qingxi.gov.cn/art/{r.randint(2019, 2026)}/art_1229_{self.mobile()}.html "
            doc.add(value)
            doc.decoys += 1
            doc.add(self.sentence() + "\n")
        return doc


def corpus(mb: float, seed: int) -> list[Doc]:
    gen, docs, total = Gen(seed), [], 0
    mix = [("notice", 0.60), ("roster", 0.25), ("companies", 0.10), ("decoys", 0.05)]
    while total < mb * 1e6:
        kind = gen.r.choices([k for k, _ in mix], [w for _, w in mix])[0]
        doc = getattr(gen, {"notice": "notice", "roster": "roster", "companies": "companies",
                            "decoys": "decoys"}[kind])(gen.r.randint(8_000, 40_000) // 3)
        docs.append(doc)
        total += len(doc.text().encode())
    return docs


def naive_scan(text: str) -> list[tuple[str, int, int]]:
    return [(kind, m.start(), m.end()) for kind, pattern in NAIVE for m in pattern.finditer(text)]


def detector_scan(text: str) -> list[tuple[str, int, int]]:
    return [(h.kind, h.start, h.end) for h in find_personal_data(text)]


def detector_and_mask(text: str) -> str:
    return mask_text(text, find_personal_data(text))


def timed(fn, texts: list[str]) -> float:
    start = time.perf_counter()
    for text in texts:
        fn(text)
    return time.perf_counter() - start


def scores(fn, docs: list[Doc], texts: list[str]) -> tuple[int, int, int, int]:
    """(flags, right flags, planted, planted found)."""
    flags = right = planted = found = 0
    for doc, text in zip(docs, texts):
        got, want = set(fn(text)), set(doc.planted)
        flags, right = flags + len(got), right + len(got & want)
        planted, found = planted + len(want), found + len(want & got)
    return flags, right, planted, found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=20.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    t0 = time.perf_counter()
    docs = corpus(args.mb, args.seed)
    texts = [doc.text() for doc in docs]
    by_kind = {k: [t for d, t in zip(docs, texts) if d.kind == k] for k in ("notice", "roster", "companies", "decoys")}
    size = {k: sum(len(t.encode()) for t in ts) / 1e6 for k, ts in by_kind.items()}
    mb = sum(size.values())
    print(f"corpus: {len(docs)} documents, {mb:.1f} MB UTF-8 ({sum(map(len, texts)) / 1e6:.1f} M chars), "
          f"{sum(len(d.planted) for d in docs)} planted raw values, {sum(d.decoys for d in docs)} decoys; "
          f"generated in {time.perf_counter() - t0:.1f}s")
    print("  by kind (MB): " + ", ".join(f"{k} {v:.1f}" for k, v in size.items()))
    print(f"machine: {platform.system()} {platform.machine()}, Python {platform.python_version()}")

    runs = {"detector": [], "detector+mask": [], "naive": []}
    per_kind = {name: {k: [] for k in by_kind} for name in ("detector", "naive")}
    for _ in range(args.repeat):                  # alternate so that load hits both alike
        runs["detector"].append(timed(detector_scan, texts))
        runs["naive"].append(timed(naive_scan, texts))
        runs["detector+mask"].append(timed(detector_and_mask, texts))
        for k, ts in by_kind.items():
            per_kind["detector"][k].append(timed(detector_scan, ts))
            per_kind["naive"][k].append(timed(naive_scan, ts))
    speed = {name: mb / statistics.median(times) for name, times in runs.items()}

    print(f"\n{'scan':<15}{'MB/s':>8}{'flags':>9}{'right':>8}{'precision':>11}{'recall':>8}")
    for name, fn in (("detector", detector_scan), ("naive", naive_scan)):
        flags, right, planted, found = scores(fn, docs, texts)
        print(f"{name:<15}{speed[name]:>8.1f}{flags:>9}{right:>8}{right / max(flags, 1):>11.3f}{found / max(planted, 1):>8.3f}")
    print(f"{'detector+mask':<15}{speed['detector+mask']:>8.1f}")
    print(f"\nratio detector/naive MB/s = {speed['detector'] / speed['naive']:.2f} "
          f"(find + mask_text: {speed['detector+mask'] / speed['naive']:.2f})")
    print("\nMB/s by document kind (median):")
    for k in by_kind:
        d = size[k] / statistics.median(per_kind["detector"][k])
        n = size[k] / statistics.median(per_kind["naive"][k])
        print(f"  {k:<10} detector {d:7.1f}   naive {n:7.1f}   ratio {d / n:.2f}")

    leaked = 0
    for doc, text in zip(docs, texts):
        masked = detector_and_mask(text)
        leaked += sum(text[s:e] in masked for _, s, e in doc.planted)
    print(f"\nraw planted values left after mask_text: {leaked}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
