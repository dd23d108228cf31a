"""What an application says: the answers to the slot product's questions, read and checked.

One rule for checkout (question form, order placement) and for approval: a name is required,
the website must be an http(s) address, and each text has a limit. Text is stored as plain text
(markup stripped), so an answer can never put HTML or a ``javascript:`` link into the agenda.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ...agenda.domain.plaintext import plain_text
from ...agenda.domain.speaker_links import is_web_address

INITIATIVE_MAX = 100
TITLE_MAX = 95  # "Initiative: Title" fits the agenda's title limit of 200
DESCRIPTION_MAX = 1000
WEBSITE_MAX = 500

FIELDS = ("initiative", "title", "description", "website")


@dataclass
class Application:
    initiative: str = ""
    title: str = ""
    description: str = ""
    website: str = ""

    @property
    def agenda_title(self) -> str:
        """“Initiative X: Project Y” (only the initiative's name without a project title)."""
        return f"{self.initiative}: {self.title}" if self.title else self.initiative


def question_ids(product) -> dict:
    """``{field: question id}`` for the fields the product has a question for."""
    return {
        name: getattr(product, f"question_{name}_id")
        for name in FIELDS
        if getattr(product, f"question_{name}_id") is not None
    }


def raw_answers(product, answers) -> dict:
    """``{field: answer text}`` from ``answers`` (``{question id: text}``)."""
    return {name: str(answers.get(qid) or "").strip() for name, qid in question_ids(product).items()}


def field_errors(name, value) -> list:
    """Messages for one answer (empty: fine). ``value`` is the text as typed."""
    value = str(value or "").strip()
    errors = []
    if name == "initiative" and not plain_text(value):
        errors.append(_("Please enter the name of your initiative."))
    limit = {"initiative": INITIATIVE_MAX, "title": TITLE_MAX, "description": DESCRIPTION_MAX}.get(name, WEBSITE_MAX)
    if len(value) > limit:
        errors.append(
            _("Please shorten this answer to at most {limit} characters (it has {length}).").format(
                limit=limit, length=len(value)
            )
        )
    elif name == "website" and value and not is_web_address(value):
        errors.append(_("Please enter a web address that starts with https:// or http://."))
    return errors


def application_errors(product, answers) -> list:
    """Every message for an application's answers (``{question id: text}``); empty: fine."""
    raw = raw_answers(product, answers)
    errors = []
    for name in question_ids(product):
        errors.extend(field_errors(name, raw.get(name, "")))
    return errors


def application(product, answers, fallback_name="") -> Application:
    """The stored text of an application; answers that would be refused are left out."""
    raw = raw_answers(product, answers)
    values = {}
    for name in FIELDS:
        value = raw.get(name, "")
        if field_errors(name, value):
            value = ""
        values[name] = value if name == "website" else plain_text(value)
    if not values["initiative"]:
        values["initiative"] = plain_text(fallback_name)[:INITIATIVE_MAX]
    return Application(**values)


def position_answers(position) -> dict:
    """``{question id: answer text}`` of an order or cart position (answers prefetched or not)."""
    return {a.question_id: a.answer for a in position.answers.all()}
