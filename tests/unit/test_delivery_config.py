"""Config sections for per-department output: `mail:`, `contact:`, `schedule:` (and the starter's examples)."""
import re

import pytest

from govaudit.config import ConfigError, load_config, parse_config
from govaudit.starter import STARTER_CONFIG

BASE = {"departments": [{"id": "jyj", "name": "教育局", "email": "jyj@example.gov.cn", "contact": "李四",
                         "phone": "0571-1"}],
        "sites": [{"id": "s", "name": "站", "department": "jyj", "start_urls": ["http://www.example.gov.cn/"]}]}
MAIL = {"host": "smtp.example.gov.cn", "from": "区政务公开办 <gkb@example.gov.cn>"}


def problems(extra: dict) -> list[tuple[str, str, str]]:
    with pytest.raises(ConfigError) as caught:
        parse_config({**BASE, **extra}, "sites.yaml")
    return caught.value.problems


def test_the_starters_examples_are_valid_when_uncommented(tmp_path):
    block = re.search(r"^# mail:\n(?:#.*\n)+", STARTER_CONFIG, re.M).group(0)
    text = STARTER_CONFIG.replace(block, re.sub(r"^# ?", "", block, flags=re.M))
    path = tmp_path / "sites.yaml"
    path.write_text(text, encoding="utf-8")
    config = load_config(path)
    assert config.mail.sender == "某某区政务公开办 <gkb@example.gov.cn>"
    assert (config.mail.security, config.mail.smtp_port(), config.mail.password_env) == ("ssl", 465, "GOVAUDIT_SMTP_PASSWORD")
    assert config.mail.subject_notice.format(department="甲", month="2026年11月", deadline="", organization="") \
        == "关于甲政府网站检查问题的整改通知（2026年11月）"
    assert config.contact.office == "某某区政务公开办" and config.schedule.monthly_day == 1
    assert config.department("jyj").contact == "李四"


def test_defaults():
    config = parse_config({**BASE, "mail": MAIL}, "sites.yaml")
    assert (config.mail.security, config.mail.smtp_port(), config.mail.user) == ("starttls", 587, None)
    assert config.schedule.model_dump() == {
        "every_days": 7, "monthly_day": 1, "notices": True, "send_notices": False, "reminders": True,
        "send_reminders": False, "reminder_days": 7, "out_dir": "govaudit-out"}
    assert parse_config(BASE, "sites.yaml").mail is None


@pytest.mark.parametrize("extra, field, words", [
    ({"mail": {**MAIL, "user": "gkb"}}, "mail", "password_env"),
    ({"mail": {**MAIL, "user": "gkb", "password_env": "P", "security": "none"}}, "mail", "unencrypted"),
    ({"mail": {**MAIL, "security": "tls"}}, "mail.security", "starttls"),
    ({"mail": {**MAIL, "from": "政务公开办"}}, "mail.from", "not an e-mail address"),
    ({"mail": {**MAIL, "cc": ["leader"]}}, "mail.cc", "not an e-mail address"),
    ({"mail": {**MAIL, "subject_notice": "{dept}整改"}}, "mail.subject_notice", "{department}"),
    ({"mail": {**MAIL, "subject_reminder": "{department"}}, "mail.subject_reminder", "literal braces"),
    ({"contact": {"email": "gkb"}}, "contact.email", "not an e-mail address"),
    ({"schedule": {"monthly_day": 31}}, "schedule.monthly_day", "1–28"),
    ({"schedule": {"monthly_day": "first"}}, "schedule.monthly_day", "`last`"),
    ({"schedule": {"send_notices": True}}, "schedule.send_notices", "no `mail:` section"),
])
def test_errors_name_the_field_and_the_fix(extra, field, words):
    (problem,) = problems(extra)
    assert problem[0] == field and words in problem[1] + problem[2]


def test_a_misspelt_key_is_pointed_at_its_yaml_name():
    (problem,) = problems({"mail": {**MAIL, "fron": "gkb@example.gov.cn"}})
    assert problem[0] == "mail.fron" and "`from`" in problem[2]
