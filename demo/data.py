"""Demo users, partners, agreements, evaluations and dialogue for trying the application
locally (`make run` runs `manage.py seed_demo --if-empty`).

The demo is a story told through the application itself, so it can never show a state
the application could not reach: each step is taken as a person takes it on the page —
the page's form filled in and checked by the form's own rules, then the service the page
calls — by the person who would take it (staff draft and submit, a manager who is not
the author approves: four-eyes), on the day it happened (see demo/steps.py).

To add to the demo: write its data as a list like those below and a section function
`_things(story)` that takes each step inside `acting(person, day)`, and call it from
create_demo_data() after the sections whose rows it refers to. A section skips what is
already there, so `seed_demo` can run twice.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.roles import MANAGERS_GROUP, STAFF_GROUP
from agreements import services as agreement_services
from agreements.forms import (
    NEW_OBLIGATION_ROWS,
    AgreementForm,
    GoalFormSet,
    ObligationFormSet,
    ObligationOutcomeForm,
    ProgrammePeriodForm,
)
from agreements.models import (
    Agreement,
    AgreementType,
    Fulfilment,
    ObligationCategory,
    ProgrammePeriod,
    Side,
    Status,
)
from core.dates import add_months
from core.permissions import require
from demo.portal import create_demo_portal
from demo.steps import acting, check, on_day, page_post, row
from evaluations import services as evaluation_services
from evaluations.forms import EvaluationForm, GoalResultsForm
from evaluations.models import Evaluation
from partnerships import permissions as partner_permissions
from partnerships import services as partner_services
from partnerships.forms import (
    ContactFormSet,
    DialogueEntryForm,
    DialogueFollowUpFormSet,
    PartnerForm,
)
from partnerships.models import DialogueEntry, FocusArea, Partner
from partnerships.views_dialogue import NEW_FOLLOW_UP_ROWS

# Documented in README.md. Refused with DEBUG off (see the seed_demo command).
DEMO_USERS = [
    # username, password, first name, last name, group
    ("anna", "anna-demo-2026", "Anna", "Lindqvist", STAFF_GROUP),
    ("erik", "erik-demo-2026", "Erik", "Öberg", STAFF_GROUP),
    ("maria", "maria-demo-2026", "Maria", "Åkesson", MANAGERS_GROUP),
]

# Days are counted from the day the demo is made: -300 is 300 days before it.
# The people join on the first day of the story; everything else happens after.
STORY_START = -900

# A tiny but real PDF, standing in for a partner's routines document.
_DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

# Each partner is registered by its responsible person on the day `registered`; those
# with a `reviewed` day had their due diligence completed in an edit on that day.
DEMO_PARTNERS = [
    {
        "name": "Föreningen Läslust Malmö",
        "organisation_number": "802456-1234",
        "kind": "association",
        "country": "SE",
        "city": "Malmö",
        "postal_code": "211 20",
        "street_address": "Storgatan 12",
        "email": "info@laslust.example",
        "website": "https://laslust.example",
        "description": "Läsfrämjande för barn och unga i Malmös ytterområden: läxhjälp, bokcirklar och författarbesök.",
        "focus": ["education", "inclusion"],
        "risk": "low",
        "responsible": "anna",
        "registered": -400,
        "reviewed": -40,
        "contacts": [
            ("Sara Nyström", "Verksamhetsledare", "sara@laslust.example", "040-123 45 67"),
            ("Jonas Ek", "Kassör", "jonas@laslust.example", ""),
        ],
    },
    {
        "name": "Kulturhuset Ängby",
        "organisation_number": "212000-0142",
        "kind": "public_body",
        "country": "SE",
        "city": "Bromma",
        "description": "Kommunalt kulturhus med scen, ateljéer och sommarläger för unga.",
        "focus": ["culture"],
        "risk": "low",
        "responsible": "erik",
        "registered": -870,
        "reviewed": -60,
        "contacts": [("Åsa Hägg", "Enhetschef", "asa.hagg@angby.example", "08-555 010 20")],
    },
    {
        "name": "Stiftelsen Öppna Dörrar",
        "organisation_number": "802512-7788",
        "kind": "foundation",
        "country": "SE",
        "city": "Göteborg",
        "description": "Mentorprogram och arbetsmarknadsinsatser för nyanlända unga vuxna.",
        "focus": ["inclusion", "education"],
        "risk": "medium",
        "responsible": "maria",
        "registered": -200,
        "reviewed": None,
        "contacts": [
            ("Mohammed Al-Rashid", "Programansvarig", "mohammed@oppnadorrar.example", ""),
            ("Karin Ström", "Ekonomichef", "karin@oppnadorrar.example", "031-70 80 90"),
        ],
    },
    {
        "name": "Idrottsföreningen Hälsingestjärnan",
        "organisation_number": "885501-3344",
        "kind": "association",
        "country": "SE",
        "city": "Hudiksvall",
        "description": "Breddidrott för flickor och pojkar, med fokus på att alla får vara med.",
        "focus": ["inclusion"],
        "risk": "",
        "responsible": "anna",
        "registered": -90,
        "reviewed": None,
        "contacts": [("Per Sjödin", "Ordförande", "per@halsingestjarnan.example", "")],
    },
    {
        "name": "Asociación Puente Andino",
        "organisation_number": "",
        "kind": "civil_society",
        "country": "BO",
        "city": "Cochabamba",
        "description": "Community radio and civic education with indigenous youth in rural Bolivia.",
        "focus": ["democracy", "education"],
        "risk": "high",
        "responsible": "erik",
        "registered": -150,
        "reviewed": -120,
        "contacts": [("Lucía Mamani", "Directora", "lucia@puenteandino.example", "+591 4 4251234")],
    },
    {
        "name": "Kenya Youth Learning Network",
        "organisation_number": "",
        "kind": "civil_society",
        "country": "KE",
        "city": "Kisumu",
        "description": "Peer-led learning circles and digital skills for young people around Lake Victoria.",
        "focus": ["education"],
        "risk": "medium",
        "responsible": "maria",
        "registered": -60,
        "reviewed": None,
        "contacts": [
            ("Grace Achieng", "Programme coordinator", "grace@kyln.example", ""),
            ("David Otieno", "Finance officer", "david@kyln.example", ""),
        ],
    },
    {
        "name": "Nordisk Kulturbro AB",
        "organisation_number": "556677-8899",
        "kind": "company",
        "country": "SE",
        "city": "Umeå",
        "description": "Produktionsbolag som turnerar med barnteater i Norrland.",
        "focus": ["culture"],
        "risk": "low",
        "responsible": "anna",
        "registered": -500,
        "reviewed": -160,
        "contacts": [("Linnéa Björk", "VD", "linnea@kulturbro.example", "090-12 34 56")],
    },
]

# Each agreement is drafted by its author (who is also responsible for it) on the day
# `drafted`, then goes through the workflow `steps`: (day, action, who, comment).
DEMO_AGREEMENTS = [
    {
        "partner": "Föreningen Läslust Malmö",
        "title": "Läslust i ytterområdena",
        "type": "long_term",
        "start": -300,
        "months": 12,
        "amount": 120000,
        "author": "anna",
        "drafted": -340,
        "steps": [(-335, "submit", "anna", ""), (-330, "approve", "maria", "")],
    },
    {
        "partner": "Kulturhuset Ängby",
        "title": "Sommarläger för unga 2027",
        "type": "time_limited",
        "start": 35,
        "months": 6,
        "amount": 45000,
        "author": "erik",
        "drafted": -20,
        "steps": [(-15, "submit", "erik", ""), (-10, "approve", "maria", "")],
    },
    {
        "partner": "Asociación Puente Andino",
        "title": "Radio comunitaria 2027–2029",
        "type": "long_term",
        "start": 60,
        "months": 36,
        "amount": 380000,
        "author": "erik",
        "drafted": -30,
        "steps": [(-21, "submit", "erik", "")],
    },
    {
        "partner": "Stiftelsen Öppna Dörrar",
        "title": "Mentorprogram Göteborg",
        "type": "strategic",
        "start": 90,
        "months": 24,
        "amount": 200000,
        "author": "anna",
        "drafted": -7,
        "steps": [],
    },
    {
        "partner": "Nordisk Kulturbro AB",
        "title": "Barnteaterturné Norrland",
        "type": "local_sponsorship",
        "start": -430,
        "months": 12,
        "amount": 60000,
        "author": "anna",
        "drafted": -470,
        "steps": [(-465, "submit", "anna", ""), (-460, "approve", "maria", "")],
    },
    {
        "partner": "Kulturhuset Ängby",
        "title": "Kulturskola för alla",
        "type": "long_term",
        "start": -800,
        "months": 36,
        "amount": 90000,
        "author": "anna",
        "drafted": -840,
        "steps": [(-835, "submit", "anna", ""), (-830, "approve", "maria", "")],
    },
    {
        "partner": "Kenya Youth Learning Network",
        "title": "Digital skills circles",
        "type": "time_limited",
        "start": 30,
        "months": 12,
        "amount": 150000,
        "author": "erik",
        "drafted": -25,
        "steps": [
            (-18, "submit", "erik", ""),
            (-12, "return", "maria", "Lägg till ett mätbart mål för digitala färdigheter."),
        ],
    },
]

# The terms and goals every demo agreement is drafted with.
DEMO_TERMS = {
    "payment_terms": "Halva beloppet vid start, resten efter godkänd årsrapport.",
    "marketing_contributions": "Vår logotyp i partnerns material och på webbplatsen.",
    "conduct": "Båda parter följer uppförandekoden och uppträder sakligt i media.",
    "exchange": "Vi får synlighet och lärande; partnern får finansiering och nätverk.",
    "termination_terms": "Avtalet kan sägas upp med omedelbar verkan om riktlinjerna inte följs.",
}
DEMO_GOALS = [
    {
        "description": "Fler deltagare i verksamheten",
        "kind": "quantitative",
        "indicator": "Antal deltagare per år",
        "baseline": 50,
        "target_value": 150,
        "unit": "deltagare",
    },
    {
        "description": "Målgruppen är delaktig i besluten",
        "kind": "qualitative",
        "expected_outcome": "Unga deltagare sitter med i planeringsgruppen.",
        "assessment_method": "Genomgång av protokoll och intervjuer vid årsuppföljningen.",
    },
]

# Conversations with partners, logged on their day by the first of `ours`; some fall in
# periods awaiting evaluation. Follow-ups: (description, owner, due day, done on the due
# day), so the dashboards show done, open and overdue ones.
DEMO_DIALOGUE = [
    {
        "partner": "Föreningen Läslust Malmö",
        "agreement": "Läslust i ytterområdena",
        "day": -250,
        "kind": "visit",
        "ours": ["anna"],
        "our_others": "",
        "contacts": ["Sara Nyström"],
        "theirs": "Två läxhjälpare",
        "topics": "Besök på läxhjälpen i Rosengård. Upplägget för bokcirklarna under hösten.",
        "learned": "Barnen vill själva välja böckerna; cirklarna med egna val hade dubbelt så "
        "många deltagare.",
        "follow_ups": [("Skicka mall för halvårsrapporten", "anna", -230, True)],
    },
    {
        "partner": "Föreningen Läslust Malmö",
        "agreement": "Läslust i ytterområdena",
        "day": -120,
        "kind": "meeting",
        "ours": ["anna", "maria"],
        "our_others": "",
        "contacts": ["Sara Nyström", "Jonas Ek"],
        "theirs": "",
        "topics": "Halvårsavstämning: deltagarantal, ekonomi och målgruppens delaktighet.",
        "learned": "Föräldrar når vi bäst på kvällstid. Kassören behöver en enklare budgetmall.",
        "follow_ups": [
            ("Ta fram en enklare budgetmall", "anna", -20, False),
            ("Bjud in två unga till planeringsgruppen", "erik", 30, False),
        ],
    },
    {
        "partner": "Föreningen Läslust Malmö",
        "agreement": None,
        "day": -15,
        "kind": "call",
        "ours": ["anna"],
        "our_others": "",
        "contacts": ["Sara Nyström"],
        "theirs": "",
        "topics": "Samtal om en möjlig fortsättning efter avtalsperioden.",
        "learned": "",
        "follow_ups": [("Boka möte om nytt avtal", "anna", 14, False)],
    },
    {
        "partner": "Kulturhuset Ängby",
        "agreement": "Kulturskola för alla",
        "day": -300,
        "kind": "workshop",
        "ours": ["erik", "anna"],
        "our_others": "Volontär från vår styrelse",
        "contacts": ["Åsa Hägg"],
        "theirs": "Fyra ungdomar från sommarlägret",
        "topics": "Verkstad med ungdomarna om vad kulturskolan ska erbjuda nästa termin.",
        "learned": "Ungdomarna vill ha fler kvällspass och kurser i ljudteknik; de vill också "
        "vara med och välja lärare.",
        "follow_ups": [
            ("Undersöka kostnad för ljudteknikkurs", "erik", -200, False),
            ("Skicka sammanfattning till ungdomarna", "erik", -280, True),
        ],
    },
    {
        "partner": "Kulturhuset Ängby",
        "agreement": "Kulturskola för alla",
        "day": -150,
        "kind": "meeting",
        "ours": ["erik"],
        "our_others": "",
        "contacts": ["Åsa Hägg"],
        "theirs": "",
        "topics": "Uppföljning av kvällspassen och närvaron.",
        "learned": "Kvällspassen har lockat nya deltagare, men närvaron sjunker efter sex veckor.",
        "follow_ups": [],
    },
    {
        "partner": "Asociación Puente Andino",
        "agreement": None,
        "day": -40,
        "kind": "call",
        "ours": ["erik", "maria"],
        "our_others": "",
        "contacts": ["Lucía Mamani"],
        "theirs": "",
        "topics": "Riskbedömning inför det nya avtalet: säkerheten för radioreportrarna.",
        "learned": "Partnern har en egen säkerhetsplan men saknar försäkring för utrustningen.",
        "follow_ups": [("Ta reda på försäkringsalternativ", "maria", -5, False)],
    },
]


def create_demo_data() -> None:
    """Tell the demo story up to today, section by section, in the order it happened
    enough that everything a step refers to exists before it."""
    story = Story(today=timezone.localdate())
    _users(story)
    _programme_periods(story)
    _partners(story)
    _agreements(story)
    _dialogue(story)
    create_demo_portal(story)


@dataclass
class Story:
    """The day the demo is made, and its people by username."""

    today: datetime.date
    users: dict = field(default_factory=dict)

    def day(self, offset: int) -> datetime.date:
        return self.today + datetime.timedelta(days=offset)

    def user(self, username: str):
        return self.users[username]


# The sections of the story


def _users(story: Story) -> None:
    """The demo people, set up as an administrator does in the admin (there is no page
    of ours for it). Passwords are reset on every run, so README.md stays true."""
    User = get_user_model()
    for username, password, first_name, last_name, group_name in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            with on_day(story.day(STORY_START), hour=9):
                user = User(
                    username=username,
                    first_name=first_name,
                    last_name=last_name,
                    email=f"{username}@demo.example",
                )
                validate_password(password, user)
                user.set_password(password)
                user.save()
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=group_name))
        story.users[username] = user


def _programme_periods(story: Story) -> None:
    """The programme period around today and the next one, set up by the manager.

    The current one runs three calendar years from the year before today's, or from a
    later year if a time-limited demo agreement would otherwise end after it: such an
    agreement must lie inside its period to be submitted, on any day the demo is made.
    """
    manager = story.user("maria")
    last_end = max(
        _agreement_dates(story, spec)[1]
        for spec in DEMO_AGREEMENTS
        if spec["type"] == AgreementType.TIME_LIMITED
    )
    first_year = max(story.today.year - 1, last_end.year - 2)
    for start_year, budget in ((first_year, 200000), (first_year + 3, 250000)):
        start = datetime.date(start_year, 1, 1)
        end = datetime.date(start_year + 2, 12, 31)
        if ProgrammePeriod.objects.filter(start_date__lte=end, end_date__gte=start).exists():
            continue
        with acting(manager, story.day(STORY_START + 1)):
            data = page_post(
                ProgrammePeriodForm(),
                changes={
                    "name": f"Programperiod {start_year}–{start_year + 2}",
                    "start_date": start,
                    "end_date": end,
                    "annual_budget": budget,
                },
            )
            form = ProgrammePeriodForm(data)
            check(form)
            agreement_services.programme_period_save(form=form, user=manager)


def _partners(story: Story) -> None:
    focus_areas = {area.code: area for area in FocusArea.objects.all()}
    for spec in DEMO_PARTNERS:
        if Partner.objects.filter(name__iexact=spec["name"]).exists():
            continue
        responsible = story.user(spec["responsible"])
        with acting(responsible, story.day(spec["registered"]), hour=9):
            partner = _register_partner(spec, responsible, focus_areas)
        if spec["reviewed"] is not None:
            reviewed = story.day(spec["reviewed"])
            with acting(responsible, reviewed, hour=11):
                _complete_due_diligence(partner, responsible, reviewed)


def _register_partner(spec: dict, user, focus_areas: dict) -> Partner:
    """The "new partner" page, filled in and saved."""
    require(partner_permissions.can_add_partner(user))
    partner = Partner(responsible=user)
    changes = {
        "name": spec["name"],
        "organisation_number": spec["organisation_number"],
        "kind": spec["kind"],
        "country": spec["country"],
        "city": spec.get("city", ""),
        "postal_code": spec.get("postal_code", ""),
        "street_address": spec.get("street_address", ""),
        "email": spec.get("email", ""),
        "website": spec.get("website", ""),
        "description": spec["description"],
        "focus_areas": [focus_areas[code] for code in spec["focus"]],
        "risk_level": spec["risk"],
        "risk_note": "Verksamhet i utsatt miljö; tät uppföljning."
        if spec["risk"] == "high"
        else "",
    }
    for index, (name, role, email, phone) in enumerate(spec["contacts"]):
        changes.update(
            row("contacts", index, {"name": name, "role": role, "email": email, "phone": phone})
        )
    data = page_post(
        PartnerForm(instance=partner),
        ContactFormSet(instance=partner, prefix="contacts"),
        changes=changes,
    )
    form = PartnerForm(data, instance=partner)
    contacts = ContactFormSet(data, instance=partner, prefix="contacts")
    check(form, contacts)
    return partner_services.partner_save(form=form, contact_formset=contacts, user=user)


def _complete_due_diligence(partner: Partner, user, reviewed: datetime.date) -> None:
    """The partner's edit page: values confirmed, code of conduct accepted, the routines
    document uploaded, the review dated."""
    partner = Partner.objects.get(pk=partner.pk)  # as the edit page reads it
    require(partner_permissions.can_edit_partner(user, partner))
    shown_contacts = ContactFormSet(instance=partner, prefix="contacts")
    shown_contacts.extra = 1
    data = page_post(
        PartnerForm(instance=partner),
        shown_contacts,
        changes={
            "shares_values": True,
            "values_confirmed_on": reviewed,
            "code_of_conduct_accepted_on": reviewed,
            "financial_routines_documented": True,
            "last_due_diligence_review_on": reviewed,
        },
    )
    files = {"financial_routines_document": SimpleUploadedFile("rutiner.pdf", _DEMO_PDF)}
    form = PartnerForm(data, files, instance=partner)
    contacts = ContactFormSet(data, instance=partner, prefix="contacts")
    check(form, contacts)
    partner_services.partner_save(form=form, contact_formset=contacts, user=user)


def _agreements(story: Story) -> None:
    """Each agreement's life in order: drafted, taken through the workflow, and once
    approved its reports followed up and its finished years evaluated. Drafted in date
    order, so the yearly reference numbers follow the calendar."""
    for spec in sorted(DEMO_AGREEMENTS, key=lambda spec: spec["drafted"]):
        partner = Partner.objects.get(name=spec["partner"])
        if partner.agreements.filter(title=spec["title"]).exists():
            continue
        author = story.user(spec["author"])
        with acting(author, story.day(spec["drafted"])):
            agreement = _draft_agreement(story, spec, partner, author)
        for day, action, username, comment in spec["steps"]:
            actor = story.user(username)
            with acting(actor, story.day(day)):
                agreement = agreement_services.agreement_transition(
                    agreement=agreement, action=action, user=actor, comment=comment
                )
        if agreement.status == Status.APPROVED:
            _follow_up_reports(story, agreement)
            _evaluate_finished_years(story, agreement)


def _draft_agreement(story: Story, spec: dict, partner: Partner, author) -> Agreement:
    """The "new agreement" page, with two goals and an obligation on each side."""
    start, end = _agreement_dates(story, spec)
    agreement = Agreement(responsible=author)
    changes = {
        "partner": partner,
        "title": spec["title"],
        "agreement_type": spec["type"],
        "programme_period": ProgrammePeriod.covering(start),
        "description": f"{spec['title']}: samarbete med {partner.name}.",
        "start_date": start,
        "end_date": end,
        "economic_amount": spec["amount"],
        **DEMO_TERMS,
    }
    for index, goal in enumerate(DEMO_GOALS):
        changes.update(row("goals", index, goal))
    # The empty obligation rows come with a side chosen: ours first, then the partner's.
    ours = NEW_OBLIGATION_ROWS.index({"side": Side.OURS})
    theirs = NEW_OBLIGATION_ROWS.index({"side": Side.PARTNER})
    changes.update(
        row(
            "obligations",
            ours,
            {
                "category": ObligationCategory.ECONOMIC,
                "description": "Betala bidraget enligt betalningsvillkoren.",
            },
        )
    )
    changes.update(
        row(
            "obligations",
            theirs,
            {
                "category": ObligationCategory.REPORTING,
                "description": "Rapportera resultat och resursanvändning varje år.",
                "due_date": add_months(start, 12),
            },
        )
    )

    def formsets(data=None):
        goals = GoalFormSet(data, instance=agreement, prefix="goals")
        obligations = ObligationFormSet(
            data, instance=agreement, prefix="obligations", initial=NEW_OBLIGATION_ROWS
        )
        obligations.extra = len(NEW_OBLIGATION_ROWS)
        return goals, obligations

    data = page_post(AgreementForm(instance=agreement), *formsets(), changes=changes)
    form = AgreementForm(data, instance=agreement)
    goals, obligations = formsets(data)
    check(form, goals, obligations)
    return agreement_services.agreement_create(
        form=form, goal_formset=goals, obligation_formset=obligations, user=author
    )


def _agreement_dates(story: Story, spec: dict) -> tuple[datetime.date, datetime.date]:
    start = story.day(spec["start"])
    return start, add_months(start, spec["months"]) - datetime.timedelta(days=1)


def _follow_up_reports(story: Story, agreement: Agreement) -> None:
    """A yearly report due more than 100 days ago came in five days late and was
    recorded that day; a more recent one is left overdue."""
    recorder = agreement.responsible
    reports = agreement.obligations.filter(
        side=Side.PARTNER,
        category=ObligationCategory.REPORTING,
        fulfilment=Fulfilment.OPEN,
        due_date__lt=story.day(-100),
    )
    for report in reports:
        day = report.due_date + datetime.timedelta(days=5)
        with acting(recorder, day):
            data = page_post(
                ObligationOutcomeForm(instance=report),
                changes={
                    "fulfilment": Fulfilment.FULFILLED,
                    "fulfilled_on": day,
                    "fulfilment_note": "Årsrapporten kom in och gicks igenom på ett möte.",
                },
            )
            form = ObligationOutcomeForm(data, instance=report)
            check(form)
            agreement_services.obligation_record_outcome(
                obligation=report, form=form, user=recorder
            )


def _evaluate_finished_years(story: Story, agreement: Agreement) -> None:
    """A completed evaluation for each year that ended more than 200 days ago, so the
    demo shows results and charts; the most recent finished year is left for the user.
    Held two weeks after the year, saved as a draft that day, completed two days later."""
    evaluator = agreement.responsible
    goals = list(agreement.goals.all())
    for period in agreement.evaluation_periods.filter(end_date__lt=story.day(-200)):
        held_on = period.end_date + datetime.timedelta(days=14)
        with acting(evaluator, held_on, hour=15):
            evaluation = Evaluation(period=period, evaluator=evaluator, held_on=held_on)
            changes = {
                "participants": "Partnerns styrelse och vår handläggare",
                "amount_spent": (agreement.economic_amount / 3).quantize(Decimal("0.01")),
                "resources_description": "Ledararvoden, material och lokalhyra enligt budget.",
                "partner_report_received": True,
                "target_group_involvement": "Deltagarna utvärderade själva.",
                "values_upheld": "yes",
                "lessons_learned": "Fler aktiviteter på helger når fler.",
                "overall_rating": 4,
                "recommendation": "continue",
            }
            for goal in goals:
                if goal.kind == "quantitative":
                    changes[f"results-measured_{goal.pk}"] = 110
                else:
                    changes[f"results-assessment_{goal.pk}"] = "Två unga deltar i planeringen."
                changes[f"results-achievement_{goal.pk}"] = "partly"
                changes[f"results-comment_{goal.pk}"] = "God utveckling, målet är inom räckhåll."
            data = page_post(
                EvaluationForm(instance=evaluation),
                GoalResultsForm(goals=goals, prefix="results"),
                changes=changes,
            )
            form = EvaluationForm(data, instance=evaluation)
            results = GoalResultsForm(data, goals=goals, prefix="results")
            check(form, results)
            evaluation = evaluation_services.evaluation_save_draft(
                form=form, results_form=results, user=evaluator
            )
        with acting(evaluator, held_on + datetime.timedelta(days=2)):
            evaluation_services.evaluation_complete(evaluation=evaluation, user=evaluator)


def _dialogue(story: Story) -> None:
    for spec in DEMO_DIALOGUE:
        partner = Partner.objects.get(name=spec["partner"])
        if partner.dialogue_entries.filter(topics=spec["topics"]).exists():
            continue
        author = story.user(spec["ours"][0])
        with acting(author, story.day(spec["day"]), hour=14):
            entry = _log_conversation(story, spec, partner, author)
        for description, owner_name, due_in, done in spec["follow_ups"]:
            if done:
                owner = story.user(owner_name)
                with acting(owner, story.day(due_in), hour=16):
                    partner_services.follow_up_complete(
                        follow_up=entry.follow_ups.get(description=description),
                        user=owner,
                        note="Klart.",
                    )


def _log_conversation(story: Story, spec: dict, partner: Partner, author) -> DialogueEntry:
    """The "log a conversation" page, with its follow-ups."""
    require(partner_permissions.can_log_dialogue(author, partner))
    entry = DialogueEntry(partner=partner)
    initial = {"our_participants": [author.pk]}
    changes = {
        "date": story.day(spec["day"]),
        "kind": spec["kind"],
        "agreement": partner.agreements.filter(title=spec["agreement"]).first()
        if spec["agreement"]
        else None,
        "our_participants": [story.user(name) for name in spec["ours"]],
        "our_other_participants": spec["our_others"],
        "partner_contacts": list(partner.contacts.filter(name__in=spec["contacts"])),
        "partner_participants": spec["theirs"],
        "topics": spec["topics"],
        "learned": spec["learned"],
    }
    for index, (description, owner, due_in, _done) in enumerate(spec["follow_ups"]):
        changes.update(
            row(
                "follow_ups",
                index,
                {
                    "description": description,
                    "owner": story.user(owner),
                    "due_date": story.day(due_in),
                },
            )
        )

    def follow_up_formset(data, form):
        formset = DialogueFollowUpFormSet(
            data, instance=entry, prefix="follow_ups", entry_form=form
        )
        formset.extra = NEW_FOLLOW_UP_ROWS
        return formset

    shown = DialogueEntryForm(instance=entry, initial=initial)
    data = page_post(shown, follow_up_formset(None, shown), changes=changes)
    form = DialogueEntryForm(data, instance=entry, initial=initial)
    follow_ups = follow_up_formset(data, form)
    check(form, follow_ups)
    return partner_services.dialogue_entry_save(
        form=form, follow_up_formset=follow_ups, user=author
    )
