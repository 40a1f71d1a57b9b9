"""Chinese text of the demo: document bodies and the prose of the fixed pages.

Bodies are generated from an item's title, date and department so that ~300 documents read
like real ones without 300 hand-written articles. Choices are keyed on the item id, so the
output is deterministic. A body is a list of blocks:

* ``("p", text)`` paragraph, ``("h", text)`` sub-heading, ``("wenhao", text)`` 文号 line,
* ``("table", headers, rows)`` a table, ``("sign", [lines])`` the signature block.

No body contains personal data: beneficiary lists use masked names, ID and phone numbers.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from .model import Column, Department, Item

#: Office landlines and addresses (contact blocks; not personal data).
CONTACTS = {
    "zfb": ("0571-86012345", "青溪区青溪大道100号"),
    "jyj": ("0571-86013421", "青溪区文教路36号"),
    "mzj": ("0571-86019876", "青溪区民生路88号"),
    "wjw": ("0571-86017650", "青溪区健康路15号"),
    "fgj": ("0571-86015238", "青溪区青溪大道100号行政中心3号楼"),
}

RECIPIENTS = {
    "zfb": "各街道办事处，区政府各部门、各直属单位：",
    "jyj": "各中小学、幼儿园，局属各单位：",
    "mzj": "各街道办事处，各有关单位：",
    "wjw": "各医疗卫生单位，各街道社区卫生服务中心：",
    "fgj": "各街道办事处，区级各有关部门：",
}


def cn_date(d: date) -> str:
    """2026年3月5日."""
    return f"{d.year}年{d.month}月{d.day}日"


def pick(pool: tuple[str, ...] | list[str], seed: int, salt: int = 0) -> str:
    """Deterministic choice from a pool."""
    return pool[(seed * 7 + salt * 3) % len(pool)]


NEWS_MIDDLE = (
    "会议指出，要坚持以人民为中心的发展思想，对标对表年度目标任务，压紧压实工作责任，确保各项工作落地见效。",
    "活动现场，相关负责同志详细了解工作进展情况，认真听取基层意见建议，并就下一步工作提出明确要求。",
    "据了解，此项工作启动以来，各相关单位密切配合、协同推进，取得了阶段性成效，群众满意度持续提升。",
    "会上，各相关单位汇报了工作推进情况，分析了存在的困难和问题，并就下一阶段重点工作作交流发言。",
    "检查组采取听取汇报、查阅资料、实地查看等方式，对照清单逐项检查，发现问题当场反馈、限期整改。",
    "此次活动吸引了众多市民群众参与，现场气氛热烈，进一步营造了全社会共同参与的良好氛围。",
)

NEWS_END = (
    "下一步，青溪区将持续深化改革创新，不断完善工作机制，推动各项任务提质增效，切实增强群众获得感、幸福感、安全感。",
    "与会人员表示，将以此为契机，进一步统一思想、凝聚共识，以更加务实的作风推动各项工作落到实处。",
    "相关负责人表示，将认真梳理总结经验做法，建立健全长效机制，确保工作常态长效。",
    "下一步，相关部门将加强跟踪问效，及时协调解决工作中遇到的困难和问题，确保按期完成目标任务。",
)

_NOTICE_TAIL = re.compile(r"^关于(.+)的(通知|通告|公告|决定)$")
_WENHAO = re.compile(r"[（(]([^（）()]*〔\d{4}〕\d+号)[）)]$")
_ISSUER = re.compile(r"^(.+?)关于")


def _core(title: str) -> str:
    """The subject of a title: 关于X的通知 → X; otherwise the title without trailing 公示/公告."""
    m = _NOTICE_TAIL.match(title)
    if m:
        return m.group(1)
    return re.sub(r"(公示|公告|通告)$", "", title)


def split_wenhao(title: str) -> tuple[str, str | None]:
    """Split 'X的通知（青政发〔2026〕18号）' into ('X的通知', '青政发〔2026〕18号')."""
    m = _WENHAO.search(title)
    if not m:
        return title, None
    return title[:m.start()], m.group(1)


def written_date(item: Item) -> date:
    """成文日期: the day the document was signed, 0-3 days before it was published (or as planted)."""
    return item.written or item.date - timedelta(days=item.id % 4)


def _sign(dept: Department, item: Item) -> tuple:
    lines = [dept.name]
    if item.date is not None:
        lines.append(cn_date(written_date(item)))
    return ("sign", lines)


def body_news(item: Item, column: Column, dept: Department) -> list[tuple]:
    d = item.date
    return [
        ("p", f"{d.month}月{d.day}日，{item.title}。"),
        ("p", pick(NEWS_MIDDLE, item.id)),
        ("p", pick(NEWS_END, item.id, 1)),
        ("p", f"（{dept.short}供稿）"),
    ]


def body_notice(item: Item, column: Column, dept: Department) -> list[tuple]:
    phone = CONTACTS[dept.id][0]
    title = item.title
    if title.endswith("公示"):
        return [
            ("p", f"根据有关规定，现将{_core(title)}有关情况予以公示。"),
            ("p", "公示期为5个工作日。公示期间，如对公示内容有异议，请以书面形式实名向"
                  f"{dept.name}反映，并提供必要的证明材料。"),
            ("p", f"联系电话：{phone}"),
            _sign(dept, item),
        ]
    kind = "公告" if title.endswith(("公告", "通告")) else "决定" if title.endswith("决定") else "通知"
    paras: list[tuple] = []
    if kind == "通知":
        paras.append(("p", RECIPIENTS[dept.id]))
    verb = {"通知": "通知如下", "公告": "公告如下", "决定": "作出如下决定"}[kind]
    paras += [
        ("p", f"根据上级有关工作部署，结合我区实际，现就{_core(title)}有关事项{verb}："),
        ("p", "一、提高思想认识。各单位要充分认识此项工作的重要意义，加强组织领导，明确责任分工，确保各项工作有序推进。"),
        ("p", "二、认真组织实施。各单位要对照工作要求，细化工作措施，落实专人负责，按时保质完成各项任务。"),
        ("p", "三、加强督促检查。主管部门将适时开展督促检查，对工作推进不力、落实不到位的单位予以通报。"),
        ("p", f"联系电话：{phone}。"),
        ("p", "特此" + {"通知": "通知。", "公告": "公告。", "决定": "决定。"}[kind]),
        _sign(dept, item),
    ]
    return paras


def body_policy(item: Item, column: Column, dept: Department) -> list[tuple]:
    title, wenhao = split_wenhao(item.title)
    m = _ISSUER.match(title)
    issuer = m.group(1).split(" ")[0] if m else dept.name
    blocks: list[tuple] = []
    if wenhao:
        blocks.append(("wenhao", wenhao))
    blocks.append(("p", RECIPIENTS[dept.id]))
    book = re.search(r"印发(.+)的通知$", title)
    if book:
        name = book.group(1)
        if not name.startswith("《"):
            name = f"《{name}》"
        blocks.append(("p", f"现将{name}印发给你们，请结合实际，认真贯彻执行。"))
    else:
        blocks += [
            ("p", f"为深入贯彻落实上级决策部署，进一步做好{_core(title.split('关于', 1)[-1])}相关工作，经研究，现提出如下意见："),
            ("p", "一、明确工作目标。坚持问题导向和目标导向，聚焦群众急难愁盼，推动政策措施落地见效。"),
            ("p", "二、落实重点任务。各单位要按照职责分工，细化工作举措，形成工作合力。"),
            ("p", "三、强化组织保障。加强统筹协调和督促检查，确保各项任务按期完成。"),
        ]
    blocks.append(("sign", [issuer, cn_date(written_date(item))]))
    blocks.append(("p", "（此件公开发布）"))
    return blocks


def body_interpret(item: Item, column: Column, dept: Department) -> list[tuple]:
    phone = CONTACTS[dept.id][0]
    return [
        ("h", "一、起草背景"),
        ("p", "为深入贯彻落实上级有关决策部署，进一步回应群众关切，结合我区工作实际，起草了该文件。"),
        ("h", "二、主要内容"),
        ("p", "文件共分为总体要求、主要任务、保障措施三个部分，明确了工作目标、责任分工和推进步骤。"),
        ("h", "三、创新举措"),
        ("p", "一是突出问题导向，聚焦重点领域和关键环节；二是强化部门协同，建立联动推进机制；三是注重群众参与，完善监督评价体系。"),
        ("h", "四、解读机关及联系方式"),
        ("p", f"解读机关：{dept.name}　联系电话：{phone}"),
    ]


_OFFICIALS = ("周海涛", "吴敏", "郑文斌", "孙丽萍")
_POSTS = ("副局长", "副主任", "办公室主任", "科长", "副科长")


def body_personnel(item: Item, column: Column, dept: Department) -> list[tuple]:
    title = item.title
    m = re.search(r"关于(.+?)(等)?同志职务任免", title)
    if m:
        names = [m.group(1)] + (list(_OFFICIALS[item.id % 2:item.id % 2 + 2]) if m.group(2) else [])
        lines = [("p", "经研究决定：")]
        for n, name in enumerate(names):
            lines.append(("p", f"任命{name}同志为{dept.name}{pick(_POSTS, item.id, n)}，试用期一年；"))
        lines.append(("p", "免去相关同志原任职务。"))
        return lines + [_sign(dept, item)]
    if title.endswith("公示"):
        return [
            ("p", "根据《党政领导干部选拔任用工作条例》和事业单位公开招聘有关规定，现将有关人员情况予以公示。"),
            ("p", "公示期为5个工作日。公示期间，如对公示对象有异议，可通过来信、来电、来访等方式向组织人事部门反映。"),
            ("p", f"联系电话：{CONTACTS[dept.id][0]}"),
            _sign(dept, item),
        ]
    return [
        ("p", "根据工作需要，经研究，决定面向社会公开招聘工作人员，现将有关事项公告如下："),
        ("p", "一、招聘计划。本次招聘岗位、人数及资格条件详见招聘计划表。"),
        ("p", "二、报名方式。报名采取网上报名方式进行，报名人员对所提交信息的真实性负责。"),
        ("p", "三、考试和聘用。考试分笔试和面试，按考试总成绩从高分到低分确定体检和考察对象。"),
        ("p", f"咨询电话：{CONTACTS[dept.id][0]}"),
        _sign(dept, item),
    ]


def body_finance(item: Item, column: Column, dept: Department) -> list[tuple]:
    base = 18000 + (item.id % 97) * 131
    rows = [
        ["一般公共预算收入", f"{base * 3 + 12.6:.1f}"],
        ["一般公共预算支出", f"{base * 3 + 8412.3:.1f}"],
        ["政府性基金预算收入", f"{base + 506.0:.1f}"],
        ["政府性基金预算支出", f"{base + 1210.4:.1f}"],
        ["“三公”经费支出", f"{(item.id % 53) * 3 + 215.5:.1f}"],
    ]
    return [
        ("p", "根据《中华人民共和国预算法》和地方预决算公开有关规定，现将"
              f"{item.title}有关情况予以公开。"),
        ("table", ["项目", "金额（万元）"], rows),
        ("p", f"如有疑问，请联系区财政局，联系电话：{CONTACTS['zfb'][0]}。"),
    ]


def body_plan(item: Item, column: Column, dept: Department) -> list[tuple]:
    return [
        ("p", f"为全面落实区委、区政府决策部署，统筹推进经济社会发展各项工作，现将{item.title}予以公布。"),
        ("h", "一、总体要求"),
        ("p", "坚持稳中求进工作总基调，完整、准确、全面贯彻新发展理念，推动高质量发展取得新成效。"),
        ("h", "二、主要目标"),
        ("p", "地区生产总值稳定增长，居民收入增长与经济增长基本同步，城乡居民生活品质持续提升。"),
        ("h", "三、重点任务"),
        ("p", "聚焦产业升级、城市更新、民生保障、生态环境等重点领域，谋划实施一批牵引性强的重大项目。"),
    ]


def body_system(item: Item, column: Column, dept: Department) -> list[tuple]:
    return [
        ("p", f"第一条　为规范{dept.name}政府信息公开工作，保障公民、法人和其他组织依法获取政府信息，"
              "根据《中华人民共和国政府信息公开条例》，结合工作实际，制定本制度。"),
        ("p", "第二条　政府信息公开工作坚持以公开为常态、不公开为例外，遵循公正、公平、合法、便民的原则。"),
        ("p", "第三条　办公室负责本单位政府信息公开的日常工作，各科室按照职责做好本科室政府信息的公开工作。"),
        ("p", "第四条　拟公开的政府信息应当依照有关规定进行保密审查，未经审查的不得公开。"),
        ("p", "第五条　本制度自印发之日起施行。"),
    ]


def _report_numbers(seed: int) -> dict[str, int]:
    """Numbers of the 依申请公开 table that satisfy the identities of the 2021 format."""
    new = 8 + seed % 11
    carried_in = seed % 3
    carried_out = (seed // 3) % 2
    handled = new + carried_in - carried_out
    partial = 1 + seed % 2
    refuse = seed % 2
    cannot = 1 + seed % 3
    dismiss = 0
    other = seed % 2
    full = handled - partial - refuse - cannot - dismiss - other
    return dict(new=new, carried_in=carried_in, carried_out=carried_out, handled=handled, full=full,
                partial=partial, refuse=refuse, cannot=cannot, dismiss=dismiss, other=other)


def _report_year(item: Item) -> int:
    return int(re.search(r"(\d{4})年政府信息公开", item.title).group(1))


def body_report(item: Item, column: Column, dept: Department, miscount: int = 0) -> list[tuple]:
    """A 2021-format annual report (国办公开办函〔2021〕30号); ``miscount`` is added to the 予以公开
    cell, so the table's 办理结果 no longer adds up to its 总计."""
    year = _report_year(item)
    n = _report_numbers(item.id)
    published = 120 + item.id % 90
    return [
        ("p", "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开工作"
              "年度报告格式》（国办公开办函〔2021〕30号）要求编制。本报告中所列数据的统计期限自"
              f"{year}年1月1日起至{year}年12月31日止。"),
        ("h", "一、总体情况"),
        ("p", f"{year}年，{dept.name}认真贯彻落实《条例》，紧紧围绕中心工作，持续加大主动公开力度，"
              f"全年主动公开政府信息{published}条，依申请公开办理规范有序。"),
        ("h", "二、主动公开政府信息情况"),
        ("table", ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
         [["规章", "0", "0", "0"], ["行政规范性文件", str(1 + item.id % 4), "0", str(6 + item.id % 5)]]),
        ("h", "三、收到和处理政府信息公开申请情况"),
        ("table", ["项目", "自然人"], [
            ["一、本年新收政府信息公开申请数量", str(n["new"])],
            ["二、上年结转政府信息公开申请数量", str(n["carried_in"])],
            ["三、本年度办理结果（一）予以公开", str(n["full"] + miscount)],
            ["（二）部分公开", str(n["partial"])],
            ["（三）不予公开", str(n["refuse"])],
            ["（四）无法提供", str(n["cannot"])],
            ["（五）不予处理", str(n["dismiss"])],
            ["（六）其他处理", str(n["other"])],
            ["（七）总计", str(n["handled"])],
            ["四、结转下年度继续办理", str(n["carried_out"])],
        ]),
        ("h", "四、政府信息公开行政复议、行政诉讼情况"),
        ("p", "本年度未发生因政府信息公开引起的行政复议、行政诉讼。"),
        ("h", "五、存在的主要问题及改进情况"),
        ("p", "存在的主要问题：部分栏目更新不够及时，政策解读形式还不够丰富。改进措施：建立栏目更新提醒机制，"
              "加强图解、视频等多元化解读。"),
        ("h", "六、其他需要报告的事项"),
        ("p", "本年度未收取信息处理费。"),
    ]


def body_report_miscounted(item: Item, column: Column, dept: Department) -> list[tuple]:
    """A 2021-format report whose application table does not add up (予以公开 2 too many)."""
    return body_report(item, column, dept, miscount=2)


def body_report_old(item: Item, column: Column, dept: Department) -> list[tuple]:
    """A report still in the pre-2019 layout (2008 条例: 一、概述 … 七、其他需要报告的事项)."""
    year = _report_year(item)
    n = _report_numbers(item.id)
    return [
        ("p", f"本报告根据《中华人民共和国政府信息公开条例》要求，由{dept.name}编制。"),
        ("h", "一、概述"),
        ("p", f"{year}年，{dept.name}认真贯彻落实政府信息公开各项工作要求，不断完善工作机制。"),
        ("h", "二、主动公开政府信息情况"),
        ("p", f"全年主动公开政府信息{120 + item.id % 90}条。"),
        ("h", "三、依申请公开政府信息情况"),
        ("p", f"全年共受理政府信息公开申请{n['new']}件，均已按时答复。"),
        ("h", "四、政府信息公开的收费及减免情况"),
        ("p", "本年度未收取任何费用。"),
        ("h", "五、因政府信息公开申请行政复议、提起行政诉讼的情况"),
        ("p", "本年度未发生因政府信息公开申请提起行政复议、行政诉讼的情况。"),
        ("h", "六、政府信息公开工作存在的主要问题及改进情况"),
        ("p", "信息公开的及时性有待进一步提高，下一步将加强培训，规范发布流程。"),
        ("h", "七、其他需要报告的事项"),
        ("p", "无。"),
    ]


_SURNAMES = "张王李赵陈刘杨黄周吴徐孙胡朱高林何郭马罗"
_GIVEN = "明华丽军芳伟敏静强磊洋艳勇杰娟涛超秀"
_STREETS = ("青溪街道", "溪口街道", "临江街道", "白沙街道")
_COMMUNITIES = ("文苑社区", "江滨社区", "桂花社区", "白沙社区", "新桥社区", "溪畔社区")
_AREAS = ("330102", "330103", "330104", "330105", "330106")
_MOBILE_PREFIX = ("138", "139", "137", "135", "158", "159", "186", "188", "133", "177")


def masked_beneficiaries(seed: int, count: int) -> list[list[str]]:
    """Rows of a 低保 公示 list with names, ID and phone numbers masked (去标识化).

    Columns: 序号, 街道, 社区, 户主姓名, 身份证号, 联系电话, 保障人数, 月保障金额（元）.
    """
    rows = []
    for n in range(count):
        k = seed * 31 + n * 17
        name = _SURNAMES[k % len(_SURNAMES)] + "*" + _GIVEN[(k // 7) % len(_GIVEN)]
        tail = f"{(k * 37) % 1000:03d}" + "0123456789X"[(k * 13) % 11]
        ident = _AREAS[k % len(_AREAS)] + "********" + tail
        phone = _MOBILE_PREFIX[k % len(_MOBILE_PREFIX)] + "****" + f"{(k * 53) % 10000:04d}"
        people = 1 + k % 4
        rows.append([str(n + 1), _STREETS[k % 4], _COMMUNITIES[k % 6], name, ident, phone,
                     str(people), str(people * 1105)])
    return rows


BENEFICIARY_HEADERS = ["序号", "街道", "社区", "户主姓名", "身份证号", "联系电话", "保障人数", "月保障金额（元）"]


def body_relief(item: Item, column: Column, dept: Department) -> list[tuple]:
    blocks: list[tuple] = [
        ("p", "根据《社会救助暂行办法》和《浙江省最低生活保障办法》有关规定，经街道审核、区民政局确认，"
              f"现将{_core(item.title)}情况予以公示。"),
        ("p", "公示期为7天。公示期间，如有异议，请向青溪区民政局社会救助科实名反映。"),
        ("p", f"监督电话：{CONTACTS['mzj'][0]}"),
    ]
    if not item.attachments:
        blocks.append(("table", BENEFICIARY_HEADERS, masked_beneficiaries(item.id, 8)))
    blocks.append(_sign(dept, item))
    return blocks


def body_guide(item: Item, column: Column, dept: Department) -> list[tuple]:
    """办事指南: deliberately without any date (the column is the undated one)."""
    name = item.title.removesuffix("办事指南")
    basis = {
        "婚姻登记": "《中华人民共和国民法典》《婚姻登记条例》",
        "居家养老服务补贴申请": "《浙江省社会养老服务促进条例》",
    }.get(name, "《社会救助暂行办法》（国务院令第649号）")
    return [
        ("h", "一、事项名称"), ("p", name),
        ("h", "二、设定依据"), ("p", basis),
        ("h", "三、申请条件"), ("p", "具有本区户籍，符合相关救助或服务条件的居民家庭或个人。"),
        ("h", "四、办理材料"), ("p", "1. 申请书；2. 居民身份证、户口簿原件及复印件；3. 家庭收入、财产状况相关证明材料。"),
        ("h", "五、办理流程"), ("p", "申请→受理→审核→确认→公示→发放（办结）。"),
        ("h", "六、办理时限"), ("p", "自受理之日起20个工作日内办结。"),
        ("h", "七、收费标准"), ("p", "不收费。"),
        ("h", "八、咨询方式"), ("p", f"咨询电话：{CONTACTS['mzj'][0]}；办公地址：{CONTACTS['mzj'][1]}区民政局一楼服务窗口。"),
    ]


def body_medical(item: Item, column: Column, dept: Department) -> list[tuple]:
    people = 180 + item.id % 120
    inpatient = 40 + item.id % 30
    amount = 58.6 + (item.id % 40) * 1.7
    return [
        ("p", f"根据《江州市医疗救助办法》有关规定，现将{_core(item.title)}情况予以公示。"),
        ("p", f"本期共救助困难群众{people}人次，发放医疗救助资金{amount:.1f}万元。其中，住院救助{inpatient}人次，"
              f"门诊救助{people - inpatient}人次。"),
        ("p", "公示期为7天，如有异议，请向区卫生健康委员会或区民政局反映。"),
        _sign(dept, item),
    ]


def body_social(item: Item, column: Column, dept: Department) -> list[tuple]:
    return [
        ("p", "根据《社会团体登记管理条例》《民办非企业单位登记管理暂行条例》等有关规定，现将"
              f"{item.title}公告如下："),
        ("table", ["类别", "成立登记", "变更登记", "注销登记"],
         [["社会团体", "3", "5", "1"], ["民办非企业单位", "6", "9", "2"], ["基金会", "0", "1", "0"]]),
        _sign(dept, item),
    ]


BODIES = {
    "news": body_news, "notice": body_notice, "policy": body_policy, "interpret": body_interpret,
    "personnel": body_personnel, "finance": body_finance, "plan": body_plan, "system": body_system,
    "report": body_report, "report_miscounted": body_report_miscounted, "report_old": body_report_old,
    "relief": body_relief, "guide": body_guide, "medical": body_medical,
    "social": body_social,
}


def disclosure_guide(dept: Department) -> list[tuple]:
    """Body of a 政府信息公开指南 document."""
    phone, address = CONTACTS[dept.id]
    return [
        ("p", "为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。"),
        ("h", "一、主动公开"),
        ("p", "（一）公开范围。本机关主动公开机构职能、政策文件、规划计划、财政资金、人事信息等法定主动公开内容。"),
        ("p", "（二）公开方式。主要通过门户网站政府信息公开专栏公开，同时通过政务新媒体、新闻发布会等方式公开。"),
        ("p", "（三）公开时限。属于主动公开范围的政府信息，自该信息形成或者变更之日起20个工作日内予以公开。"),
        ("h", "二、依申请公开"),
        ("p", f"（一）受理机构：{dept.name}办公室；办公地址：{address}；联系电话：{phone}。"),
        ("p", "（二）申请方式。申请人可通过当面提交、邮寄、网上申请等方式提出申请。"),
        ("p", "（三）答复期限。能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内予以答复。"),
        ("h", "三、监督和救济"),
        ("p", "公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益的，可以依法申请行政复议或者提起行政诉讼。"),
    ]


# --- Fixed pages ------------------------------------------------------------------------------

DISTRICT_PROFILE = [
    "青溪区位于江州市中部，因青溪穿城而过得名，区域面积186平方公里，下辖青溪、溪口、临江、白沙4个街道，"
    "常住人口约52万人。",
    "全区坚持“产业强区、生态立区、民生兴区”发展战略，数字经济、先进制造和现代服务业协同发展，"
    "先后获得省级文明城区、省级生态文明建设示范区等称号。",
    "青溪历史悠久，文化底蕴深厚，境内有溪口古镇、白沙湿地公园等人文自然景观，“青溪夜市”已成为城市文旅新名片。",
]

LEADERS = [
    ("王建华", "区委副书记、区长", "主持区政府全面工作。负责审计、机构编制方面工作。"),
    ("陈立明", "区委常委、常务副区长", "负责区政府常务工作。负责发展改革、财政、统计、税务、金融等方面工作。"),
    ("周晓燕", "副区长", "负责教育、卫生健康、民政、医疗保障、退役军人事务等方面工作。"),
    ("吴国强", "副区长", "负责住房城乡建设、城市管理、交通运输、自然资源和规划等方面工作。"),
    ("孙志远", "副区长", "负责市场监管、应急管理、农业农村、文化广电旅游体育等方面工作。"),
]

FUNCTIONS = {
    "zfb": ["负责区政府会议的组织工作，协助区政府领导同志组织实施会议决定事项。",
            "负责全区政务公开、政府网站和政务新媒体的监督管理工作。",
            "负责区政府文电、会务、督查、信息、机要、保密等工作。"],
    "jyj": ["贯彻执行国家和省、市有关教育工作的方针政策和法律法规，拟订全区教育发展规划并组织实施。",
            "负责全区各级各类教育的统筹规划和协调管理，推进义务教育均衡发展和教育公平。",
            "负责全区教师队伍建设、教育督导评估和学校安全管理工作。"],
    "mzj": ["拟订全区社会救助规划、政策和标准，负责城乡最低生活保障、特困人员救助供养、临时救助工作。",
            "负责社会组织登记和监督管理，统筹推进养老服务体系建设。",
            "负责婚姻登记、殡葬管理、儿童福利、区划地名等工作。"],
    "wjw": ["贯彻执行国民健康政策，拟订全区卫生健康事业发展规划并组织实施。",
            "负责疾病预防控制、卫生应急、医政医管和基层卫生健康工作。",
            "负责老龄健康、妇幼健康、计划生育服务和卫生健康监督工作。"],
    "fgj": ["拟订并组织实施全区国民经济和社会发展战略、中长期规划和年度计划。",
            "负责全区固定资产投资综合管理，组织推进重大项目建设。",
            "负责价格监测、社会信用体系建设、粮食和物资储备、节能降耗等工作。"],
}

SERVICES = [
    ("个人办事", "户籍办理、社会保障、婚姻登记、教育入学、医疗卫生、住房保障等个人服务事项。"),
    ("法人办事", "企业开办、工程建设项目审批、经营许可、税费缴纳等法人服务事项。"),
    ("便民服务", "水电气缴费、公积金查询、交通违法查询、不动产登记查询等便民服务。"),
]

INTERACTION = [
    "区长信箱是区政府听取民意、接受社会监督的重要渠道。来信人应当如实填写个人信息，对来信内容的真实性负责。",
    "来信办理实行分级负责、归口办理，一般来信自受理之日起10个工作日内答复，情况复杂的按规定延长办理时限。",
    "对涉及国家秘密、商业秘密、个人隐私的来信，不予公开。",
]

NOT_FOUND = ("抱歉，您访问的页面不存在或已被删除！", "您可以返回首页，或使用站内搜索查找相关内容。")

#: 领导信息 shown on each department's 机构职能 page: (name, post, duties).
DEPT_LEADERS = {
    "zfb": [("李卫东", "区政府办公室主任", "主持办公室全面工作。"),
            ("黄雅琴", "区政府办公室副主任", "负责政务公开、政府网站管理和督查工作。")],
    "jyj": [("刘文涛", "局长", "主持局全面工作。"), ("何静", "副局长", "负责基础教育、教育督导工作。"),
            ("马俊", "副局长", "负责人事、财务和学校安全工作。")],
    "mzj": [("郭建平", "局长", "主持局全面工作。"), ("林晓红", "副局长", "负责社会救助、养老服务工作。")],
    "wjw": [("高志宏", "主任", "主持委全面工作。"), ("罗丽", "副主任", "负责疾病预防控制、医政医管工作。")],
    "fgj": [("徐斌", "局长", "主持局全面工作。"), ("朱晓峰", "副局长", "负责投资管理、重大项目工作。")],
}
