"""The supervisor's config file (`sites.yaml`): schema, defaults and validation.

A config lists departments, the sites (sections) they own, update classes and politeness.
Every validation error names the file, the field path and a fix, e.g.::

    sites.yaml: sites[2].department: unknown department 'jyjj'
      fix: use one of the department ids (zfb, jyj, mzj) or add it under `departments:`

Defaults follow ../shared/domain.md §3.1: 动态/要闻 14 days, 通知公告/政策文件 6 months, other
basic-information columns 1 year. Columns that are not listed are discovered by the crawler
and classed by keywords in their Chinese name (`class_keywords`, first match wins).
"""
from __future__ import annotations

import difflib
import hashlib
import re
from datetime import date
from email.utils import parseaddr
from pathlib import Path
from string import Formatter
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import (AfterValidator, BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationError,
                      field_validator, model_validator)

from govaudit.windows import Window, WindowError, parse_window

DEFAULT_UPDATE_CLASSES: dict[str, str] = {
    "动态要闻": "两周",
    "通知公告": "半年",
    "政策文件": "半年",
    "基础信息": "每年",
}
DEFAULT_CLASS_KEYWORDS: dict[str, list[str]] = {
    "动态要闻": ["要闻", "动态", "新闻", "资讯", "快讯"],
    "通知公告": ["通知", "公告", "公示"],
    "政策文件": ["政策文件", "规范性文件", "文件"],
}
DEFAULT_CLASS = "基础信息"
_IDENT = re.compile(r"^[A-Za-z0-9_\-]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ConfigError(Exception):
    """A config that cannot be used; the message names file, field and fix."""

    def __init__(self, path: str | Path, problems: list[tuple[str, str, str]]):
        self.path = str(path)
        self.problems = problems
        lines = [f"{self.path}: {field}: {message}\n  fix: {fix}" for field, message, fix in problems]
        super().__init__("\n".join(lines))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _check_ident(value: str) -> str:
    if not _IDENT.match(value):
        raise ValueError("ids use letters, digits, '-' and '_' only (e.g. jyj, dept-01)")
    return value


def _check_http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{value!r} is not an absolute http(s) URL (write e.g. http://www.example.gov.cn/)")
    return value


Ident = Annotated[str, AfterValidator(_check_ident)]
HttpUrlText = Annotated[str, AfterValidator(_check_http_url)]


class Department(_Strict):
    id: Ident = Field(description="short ASCII id, e.g. jyj")
    name: str = Field(min_length=1, description="Chinese name, e.g. 青溪区教育局")
    email: str | None = Field(default=None, description="contact e-mail for notices")
    contact: str | None = Field(default=None, description="contact person for notices, e.g. 王主任")
    phone: str | None = Field(default=None, description="contact phone for notices")

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value and not _EMAIL.match(value):
            raise ValueError(f"{value!r} is not an e-mail address (write e.g. office@example.gov.cn)")
        return value


class ColumnSpec(_Strict):
    name: str = Field(min_length=1)
    url: HttpUrlText
    update_class: str | None = None


class Site(_Strict):
    id: Ident
    name: str = Field(min_length=1)
    department: str
    start_urls: list[HttpUrlText] = Field(min_length=1)
    allowed_hosts: list[str] = Field(default_factory=list, description="netlocs (host or host:port)")
    scope: list[str] = Field(default_factory=list, description="path prefixes owned by this section")
    columns: list[ColumnSpec] = Field(default_factory=list)

    @field_validator("scope")
    @classmethod
    def _scope(cls, values: list[str]) -> list[str]:
        for prefix in values:
            if not prefix.startswith("/"):
                raise ValueError(f"scope prefix {prefix!r} must be a URL path starting with '/', e.g. /jyj/")
        return values

    @model_validator(mode="after")
    def _default_hosts(self) -> "Site":
        if not self.allowed_hosts:
            self.allowed_hosts = sorted({urlsplit(u).netloc.lower() for u in self.start_urls})
        else:
            self.allowed_hosts = [h.lower() for h in self.allowed_hosts]
        return self

    def owns_path(self, url: str) -> int:
        """Length of the longest scope prefix matching `url` (0 when none)."""
        parts = urlsplit(url)
        if parts.netloc.lower() not in self.allowed_hosts:
            return 0
        return max((len(p) for p in self.scope if (parts.path or "/").startswith(p)), default=0)


class Politeness(_Strict):
    concurrency_per_host: int = Field(default=2, ge=1, le=64)
    delay: float = Field(default=1.0, ge=0, description="seconds between requests to one host")
    autothrottle: bool = True
    timeout: float = Field(default=20.0, gt=0)
    robots_txt: bool = True
    max_pages_per_site: int = Field(default=5000, ge=1)
    max_depth: int = Field(default=12, ge=1)
    max_list_pages: int = Field(default=50, ge=1, description="pages followed per column")
    max_offscope_hops: int = Field(default=4, ge=0, description="links followed outside any scope")
    max_page_bytes: int = Field(default=10_000_000, ge=10_000)
    max_attachment_bytes: int = Field(default=20_000_000, ge=0)
    max_unzipped_bytes: int = Field(default=100_000_000, ge=1_000_000,
                                    description="declared uncompressed size of an xlsx/docx read (zip-bomb guard)")
    max_retry_after: float = Field(default=120.0, ge=0,
                                   description="longest Retry-After (429/503) honoured per host, seconds")
    max_url_length: int = Field(default=1024, ge=100, description="longer URLs are not followed (spider traps)")
    max_path_repeats: int = Field(default=3, ge=1,
                                  description="a path segment repeated more often is a loop (/a/a/a/…)")
    user_agent: str = "govaudit/0.1 (+government website inspection)"
    revalidate_after_days: int = Field(
        default=28, ge=0, le=366,
        description="an article or attachment the last run read is reused without asking the site until it is "
                    "due again, half to all of these days after its last download or 304 (spread by URL); "
                    "0: ask for every page on every crawl")
    # Link checking (dead_link / unverifiable_link). A check is one HEAD or small GET per distinct
    # target, never a crawl: robots.txt does not apply, nothing found on the target is followed.
    check_external_links: bool = Field(
        default=False, description="check once that each external link target answers (opt-in: it contacts other hosts)")
    external_concurrency: int = Field(default=1, ge=1, le=4, description="parallel checks per external host")
    external_delay: float = Field(default=2.0, ge=0, description="seconds between checks to one external host")
    max_link_checks: int = Field(default=2000, ge=0, description="distinct targets checked per run; 0 turns checks off")
    max_link_check_bytes: int = Field(default=65_536, ge=1024, description="body read by a GET check")


class Ledger(_Strict):
    deadline_workdays: int = Field(default=10, ge=1, le=250,
                                   description="整改期限: working days (official calendar) from first seen")


#: Placeholders each mail subject template may use (`mail.subject_notice`, `mail.subject_reminder`).
SUBJECT_PLACEHOLDERS = {
    "subject_notice": ("organization", "department", "month", "deadline"),
    "subject_reminder": ("organization", "department", "date", "count"),
}


class Mail(_Strict):
    """SMTP delivery of notices and reminders (`--send`); the password comes from the environment."""
    model_config = ConfigDict(populate_by_name=True)

    host: str = Field(min_length=1, description="SMTP server, e.g. smtp.example.gov.cn")
    port: int | None = Field(default=None, ge=1, le=65535, description="default: 587 starttls, 465 ssl, 25 none")
    security: Literal["starttls", "ssl", "none"] = "starttls"
    user: str | None = Field(default=None, description="login; leave out for a relay that needs none")
    password_env: str | None = Field(default=None, description="name of the environment variable holding the password")
    sender: str = Field(alias="from", description="From: address, e.g. 区政务公开办 <gkb@example.gov.cn>")
    cc: list[str] = Field(default_factory=list)
    bcc: list[str] = Field(default_factory=list)
    ca_file: str | None = Field(default=None, description="CA bundle for a server with a private CA")
    timeout: float = Field(default=30.0, gt=0)
    subject_notice: str = "关于{department}政府网站检查问题的整改通知（{month}）"
    subject_reminder: str = "{department}政府网站栏目更新临期提醒（{date}）"

    @field_validator("sender", "cc", "bcc")
    @classmethod
    def _addresses(cls, value: str | list[str]) -> str | list[str]:
        for text in [value] if isinstance(value, str) else value:
            if not _EMAIL.match(parseaddr(text)[1]):
                raise ValueError(f"{text!r} is not an e-mail address (write e.g. gkb@example.gov.cn "
                                 f"or 区政务公开办 <gkb@example.gov.cn>)")
        return value

    @field_validator("subject_notice", "subject_reminder")
    @classmethod
    def _template(cls, value: str, info) -> str:
        allowed = SUBJECT_PLACEHOLDERS[info.field_name]
        try:
            names = {name for _, name, _, _ in Formatter().parse(value) if name is not None}
        except ValueError as exc:
            raise ValueError(f"{value!r}: {exc} (write literal braces as {{{{ and }}}})") from None
        unknown = sorted(names - set(allowed))
        if unknown:
            raise ValueError(f"unknown placeholder {{{unknown[0]}}}; use "
                             + ", ".join(f"{{{name}}}" for name in allowed))
        return value

    @model_validator(mode="after")
    def _login(self) -> "Mail":
        if self.user and not self.password_env:
            raise ValueError("`user` is set but `password_env` is not: name the environment variable that holds "
                             "the password (e.g. password_env: GOVAUDIT_SMTP_PASSWORD)")
        if self.user and self.security == "none":
            raise ValueError("security: none would send the password unencrypted; use starttls or ssl, "
                             "or leave out `user` for a relay that needs no login")
        return self

    def smtp_port(self) -> int:
        return self.port or {"starttls": 587, "ssl": 465, "none": 25}[self.security]


class Contact(_Strict):
    """Who departments call about a notice: the supervising office (政务公开办)."""
    office: str | None = Field(default=None, description="e.g. 区政务公开办; default: organization")
    name: str | None = Field(default=None, description="contact person")
    phone: str | None = None
    email: str | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        return Department._email(value)


class Schedule(_Strict):
    """What `govaudit run` (called by cron) produces on which day; docs/operations.md."""
    every_days: int = Field(default=7, ge=1, le=31, description="days between two runs (a weekly crontab: 7)")
    monthly_day: int | str = Field(
        default=1, description="monthly bulletin and notices at the first run on or after this day of the month "
                               "(1–28, for the previous month), or `last`: at the month's last run (for that month)")
    notices: bool = True
    send_notices: bool = False
    reminders: bool = True
    send_reminders: bool = False
    reminder_days: int = Field(default=7, ge=1, le=60, description="临期提醒 for columns going stale within N days")
    out_dir: str = Field(default="govaudit-out", description="root of the dated output folders (relative: next to the config)")

    @field_validator("monthly_day")
    @classmethod
    def _day(cls, value: int | str) -> int | str:
        if value != "last" and not (isinstance(value, int) and 1 <= value <= 28):
            raise ValueError(f"{value!r} is not a day every month has: write 1–28, or `last`")
        return value


class ScoringIndicator(_Strict):
    """`scoring.indicators.<id>`: change one indicator of the default table (reports/scoring.py,
    docs/scoring.md); fields left out keep the table's. An id the table lacks defines a new
    indicator and needs `points` and `cap`."""
    title: str | None = Field(default=None, min_length=1, description="Chinese name shown in reports")
    points: float | None = Field(default=None, ge=0, description="deducted per finding; set here, it also "
                                 "replaces the points a rule attaches to its findings (rules.<id>.points_each)")
    cap: float | None = Field(default=None, ge=0, description="most this indicator deducts from one site")
    per_column: bool | None = Field(default=None, description="a column counted here is not deducted again elsewhere")


class RuleRoute(_Strict):
    """A rule whose findings count under different indicators by one value of their data, e.g.
    column_stale by update_class (政策文件 → policy_stale, the 19号 −5 indicator)."""
    by: str = Field(min_length=1, description="key of the finding's data, e.g. update_class")
    map: dict[str, str] = Field(default_factory=dict, description="data value -> indicator id")
    default: str = Field(min_length=1, description="indicator id for every other value")


#: `scoring.rules.<rule>`: an indicator id, or a route (errors then name the route's own fields).
RuleTarget = Annotated[Annotated[str, Tag("indicator")] | Annotated[RuleRoute, Tag("route")],
                       Discriminator(lambda value: "route" if isinstance(value, (dict, RuleRoute)) else "indicator")]


class Scoring(_Strict):
    """The 19号 score model's local choices; docs/scoring.md explains each default and its source."""
    pass_mark: float = Field(default=60, ge=0, le=100, description="a score below it is 不合格 (19号: 60)")
    month_judgement: Literal["last", "worst"] = Field(
        default="last", description="a site's month is its last audited run of the month, or its worst")
    department_score: Literal["min", "mean"] = Field(
        default="min", description="a department's score from its sites' scores (any 不合格 site fails it)")
    bottom_n: int = Field(default=3, ge=0, description="效能预警 for the N lowest-ranked departments, ties included")
    grades: list[tuple[float, str | int | float]] = Field(
        default_factory=list, description="[min_score, mark] pairs, e.g. [90, 满分]; empty: no grades")
    indicators: dict[str, ScoringIndicator] = Field(default_factory=dict)
    rules: dict[str, RuleTarget] = Field(default_factory=dict, description="rule id -> indicator id or route")

    @field_validator("grades")
    @classmethod
    def _grades(cls, value: list[tuple[float, Any]]) -> list[tuple[float, str]]:
        """Marks as text (YAML reads `[80, 90]` as numbers), highest minimum first."""
        mins = [low for low, _mark in value]
        for low in mins:
            if mins.count(low) > 1:
                raise ValueError(f"two grades start at {low:g}: give every grade its own minimum score")
        marks = [(low, f"{mark:g}" if isinstance(mark, (int, float)) else mark) for low, mark in value]
        return sorted(marks, key=lambda pair: pair[0], reverse=True)


class Config(_Strict):
    organization: str = Field(default="政府网站监管办公室", description="who issues bulletins and notices")
    store: str = "sqlite:///govaudit.db"
    as_of: date | None = None
    departments: list[Department] = Field(min_length=1)
    sites: list[Site] = Field(min_length=1)
    update_classes: dict[str, str | int] = Field(default_factory=lambda: dict(DEFAULT_UPDATE_CLASSES))
    default_update_class: str = DEFAULT_CLASS
    class_keywords: dict[str, list[str]] = Field(default_factory=lambda: {k: list(v) for k, v in DEFAULT_CLASS_KEYWORDS.items()})
    politeness: Politeness = Field(default_factory=Politeness)
    rules: dict[str, dict[str, Any]] = Field(default_factory=dict, description="per-rule settings")
    mail: Mail | None = Field(default=None, description="SMTP for --send")
    contact: Contact = Field(default_factory=Contact)
    schedule: Schedule = Field(default_factory=Schedule)
    ledger: Ledger = Field(default_factory=Ledger)
    scoring: Scoring = Field(default_factory=Scoring)

    @field_validator("update_classes")
    @classmethod
    def _merge_default_classes(cls, value: dict[str, str | int]) -> dict[str, str | int]:
        """A config that redefines one class keeps the rulebook's other classes."""
        for name, spec in value.items():
            try:
                parse_window(spec)
            except WindowError as exc:
                raise ValueError(f"{name}: {exc}") from None
        return {**DEFAULT_UPDATE_CLASSES, **value}

    # filled by load_config
    path: str | None = Field(default=None, exclude=True)
    digest: str | None = Field(default=None, exclude=True)

    def windows(self) -> dict[str, Window]:
        return {name: parse_window(spec) for name, spec in self.update_classes.items()}

    def class_for(self, column_name: str) -> str:
        """The update class of a discovered column, from keywords in its Chinese name."""
        for cls, words in self.class_keywords.items():
            if any(w in column_name for w in words):
                return cls
        return self.default_update_class

    def department(self, dept_id: str) -> Department:
        return next(d for d in self.departments if d.id == dept_id)

    def store_url(self) -> str:
        """The store URL with a relative SQLite path resolved against the config's folder."""
        prefix = "sqlite:///"
        if self.store.startswith(prefix) and self.path:
            db = self.store[len(prefix):]
            if db and db != ":memory:" and not Path(db).is_absolute():
                return prefix + str((Path(self.path).resolve().parent / db))
        return self.store


def _semantic_problems(cfg: Config) -> list[tuple[str, str, str]]:
    """Cross-field checks pydantic cannot express field by field."""
    problems: list[tuple[str, str, str]] = []
    dept_ids = [d.id for d in cfg.departments]
    for label, ids in (("departments", dept_ids), ("sites", [s.id for s in cfg.sites])):
        for i, ident in enumerate(ids):
            if ident in ids[:i]:
                problems.append((f"{label}[{i}].id", f"duplicate id {ident!r}", "give every entry its own id"))
    classes = list(cfg.update_classes)
    if cfg.default_update_class not in classes:
        problems.append(("default_update_class", f"unknown class {cfg.default_update_class!r}",
                         f"use one of {', '.join(classes)} or add it under `update_classes:`"))
    for name in cfg.class_keywords:
        if name not in classes:
            problems.append((f"class_keywords.{name}", f"unknown class {name!r}",
                             f"use one of {', '.join(classes)} or add it under `update_classes:`"))
    for i, site in enumerate(cfg.sites):
        if site.department not in dept_ids:
            problems.append((f"sites[{i}].department", f"unknown department {site.department!r}",
                             f"use one of the department ids ({', '.join(dept_ids)}) or add it under `departments:`"))
        for j, url in enumerate(site.start_urls):
            if urlsplit(url).netloc.lower() not in site.allowed_hosts:
                problems.append((f"sites[{i}].start_urls[{j}]", f"host of {url!r} is not in allowed_hosts",
                                 "add the host to `allowed_hosts` or remove `allowed_hosts` to derive it"))
        for j, col in enumerate(site.columns):
            if col.update_class and col.update_class not in classes:
                problems.append((f"sites[{i}].columns[{j}].update_class", f"unknown class {col.update_class!r}",
                                 f"use one of {', '.join(classes)}"))
    for flag in ("send_notices", "send_reminders"):
        if getattr(cfg.schedule, flag) and cfg.mail is None:
            problems.append((f"schedule.{flag}", "mail is to be sent but there is no `mail:` section",
                             f"add `mail:` (see `govaudit init`) or set {flag}: false"))
    return problems + _scoring_problems(cfg.scoring)


def _scoring_problems(scoring: Scoring) -> list[tuple[str, str, str]]:
    """Indicator and rule ids in `scoring:` that the default table (reports/scoring.py) lacks."""
    from reports.scoring import INDICATORS, RULE_INDICATORS

    problems: list[tuple[str, str, str]] = []
    known = [i.id for i in INDICATORS]
    for ident, setting in scoring.indicators.items():
        if ident not in known and (setting.points is None or setting.cap is None):
            close = difflib.get_close_matches(ident, known, n=1)
            problems.append((f"scoring.indicators.{ident}", f"unknown indicator {ident!r}",
                             f"did you mean `{close[0]}`? a new indicator needs `points:` and `cap:`" if close
                             else f"give `points:` and `cap:` to define it, or use one of {', '.join(known)}"))
    indicators = known + [i for i in scoring.indicators if i not in known]
    rule_ids = set(RULE_INDICATORS)
    if scoring.rules:
        from rules.registry import all_rules

        rule_ids |= {module.META.id for module in all_rules()}
    for rule_id, route in scoring.rules.items():
        if rule_id not in rule_ids:
            problems.append((f"scoring.rules.{rule_id}", f"unknown rule {rule_id!r}",
                             "use a rule id from `govaudit rules`"))
        targets = ({"": route} if isinstance(route, str)
                   else {**{f".map.{value}": target for value, target in route.map.items()}, ".default": route.default})
        for where, target in targets.items():
            if target not in indicators:
                problems.append((f"scoring.rules.{rule_id}{where}", f"unknown indicator {target!r}",
                                 f"use one of {', '.join(indicators)} or define it under `scoring.indicators`"))
    return problems


_FIX_BY_TYPE = {
    "missing": "add this field",
    "extra_forbidden": "remove it or check the spelling against `govaudit init`",
    "too_short": "give at least one entry",
    "int_parsing": "write a whole number",
    "float_parsing": "write a number",
    "bool_parsing": "write true or false",
    "date_from_datetime_parsing": "write a date as YYYY-MM-DD",
    "date_parsing": "write a date as YYYY-MM-DD",
    "list_type": "write a YAML list (- item)",
    "dict_type": "write a YAML mapping (key: value)",
    "string_type": "write a text value",
    "literal_error": "use one of the values listed",
}


def _field_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _known_fields(loc: tuple) -> list[str]:
    """Field names valid at the parent of `loc`, for 'did you mean' hints."""
    model: Any = Config
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        annotation = model.model_fields[part].annotation
        inner = getattr(annotation, "__args__", (annotation,))[0]
        model = inner if isinstance(inner, type) and issubclass(inner, BaseModel) else annotation
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return []
    return [info.alias or name for name, info in model.model_fields.items()]


def _pydantic_problems(exc: ValidationError) -> list[tuple[str, str, str]]:
    problems = []
    for err in exc.errors():
        message = err["msg"].removeprefix("Value error, ")
        fix = _FIX_BY_TYPE.get(err["type"], "see `govaudit init` for a commented example")
        if err["type"] == "value_error":
            fix = "correct the value as described"
        if err["type"] == "extra_forbidden":
            try:
                close = difflib.get_close_matches(str(err["loc"][-1]), _known_fields(err["loc"]), n=1)
            except (KeyError, AttributeError):
                close = []
            if close:
                fix = f"did you mean `{close[0]}`? otherwise remove it"
        problems.append((_field_path(err["loc"]), message, fix))
    return problems


def parse_config(data: Any, path: str | Path = "<config>") -> Config:
    """Validate an already-loaded mapping; raise ConfigError naming `path`."""
    if not isinstance(data, dict):
        raise ConfigError(path, [("(top level)", "the file is not a YAML mapping", "start from `govaudit init`")])
    try:
        cfg = Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(path, _pydantic_problems(exc)) from None
    problems = _semantic_problems(cfg)
    if problems:
        raise ConfigError(path, problems)
    cfg.path = str(path)
    return cfg


def load_config(path: str | Path) -> Config:
    """Read and validate a config file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(path, [("(file)", f"cannot read: {exc.strerror}", "check the path")]) from None
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        where = getattr(exc, "problem_mark", None)
        field = f"line {where.line + 1}, column {where.column + 1}" if where else "(file)"
        raise ConfigError(path, [(field, f"not valid YAML/UTF-8: {getattr(exc, 'problem', exc)}",
                                  "fix the syntax (indentation, quotes, colons); save as UTF-8")]) from None
    cfg = parse_config(data, path)
    cfg.digest = hashlib.sha256(raw).hexdigest()[:16]
    return cfg
