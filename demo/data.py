"""Demo users, partners and agreements for trying the application locally (`make run`)."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.roles import MANAGERS_GROUP, STAFF_GROUP
from demo.portal import create_demo_portal
from partnerships.models import FocusArea, Partner, PartnerContact

# Documented in README.md. Refused with DEBUG off (see the seed_demo command).
DEMO_USERS = [
    # username, password, first name, last name, group
    ("anna", "anna-demo-2026", "Anna", "Lindqvist", STAFF_GROUP),
    ("erik", "erik-demo-2026", "Erik", "Öberg", STAFF_GROUP),
    ("maria", "maria-demo-2026", "Maria", "Åkesson", MANAGERS_GROUP),
]

# A tiny but real PDF, standing in for a partner's routines document.
_DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

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
        "complete": True,
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
        "complete": True,
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
        "complete": False,
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
        "complete": False,
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
        "complete": True,
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
        "complete": False,
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
        "complete": True,
        "contacts": [("Linnéa Björk", "VD", "linnea@kulturbro.example", "090-12 34 56")],
    },
]


# partner name, title, type, start (days from today), length (months), status, author,
# amount, comment for the last event
DEMO_AGREEMENTS = [
    (
        "Föreningen Läslust Malmö",
        "Läslust i ytterområdena",
        "long_term",
        -300,
        12,
        "approved",
        "anna",
        120000,
        "",
    ),
    (
        "Kulturhuset Ängby",
        "Sommarläger för unga 2027",
        "time_limited",
        35,
        6,
        "approved",
        "erik",
        45000,
        "",
    ),
    (
        "Asociación Puente Andino",
        "Radio comunitaria 2027–2029",
        "long_term",
        60,
        36,
        "pending",
        "erik",
        380000,
        "",
    ),
    (
        "Stiftelsen Öppna Dörrar",
        "Mentorprogram Göteborg",
        "strategic",
        90,
        24,
        "draft",
        "anna",
        200000,
        "",
    ),
    (
        "Nordisk Kulturbro AB",
        "Barnteaterturné Norrland",
        "local_sponsorship",
        -430,
        12,
        "approved",
        "anna",
        60000,
        "",
    ),
    (
        "Kulturhuset Ängby",
        "Kulturskola för alla",
        "long_term",
        -800,
        36,
        "approved",
        "anna",
        90000,
        "",
    ),
    (
        "Kenya Youth Learning Network",
        "Digital skills circles",
        "time_limited",
        30,
        12,
        "returned",
        "erik",
        150000,
        "Lägg till ett mätbart mål för digitala färdigheter.",
    ),
]


def _create_demo_agreements(users, today):
    from agreements.models import (
        Agreement,
        AgreementEvent,
        Fulfilment,
        Goal,
        Obligation,
        ProgrammePeriod,
        ReferenceCounter,
        Status,
    )
    from core.dates import add_months
    from evaluations.services import schedule_evaluation_periods

    manager = users["maria"]
    # The programme period around today and the next one, each with a yearly budget.
    for first_year, budget in ((today.year - 1, 200000), (today.year + 2, 250000)):
        ProgrammePeriod.objects.get_or_create(
            name=f"Programperiod {first_year}–{first_year + 2}",
            defaults={
                "start_date": datetime.date(first_year, 1, 1),
                "end_date": datetime.date(first_year + 2, 12, 31),
                "annual_budget": budget,
            },
        )
    for (
        partner_name,
        title,
        kind,
        start_offset,
        months,
        status,
        author_name,
        amount,
        comment,
    ) in DEMO_AGREEMENTS:
        partner = Partner.objects.get(name=partner_name)
        if partner.agreements.filter(title=title).exists():
            continue
        author = users[author_name]
        start = today + datetime.timedelta(days=start_offset)
        agreement = Agreement.objects.create(
            reference=ReferenceCounter.next_reference(today.year),
            partner=partner,
            title=title,
            agreement_type=kind,
            description=f"{title}: samarbete med {partner_name}.",
            responsible=author,
            created_by=author,
            start_date=start,
            end_date=add_months(start, months) - datetime.timedelta(days=1),
            economic_amount=amount,
            payment_terms="Halva beloppet vid start, resten efter godkänd årsrapport.",
            marketing_contributions="Vår logotyp i partnerns material och på webbplatsen.",
            conduct="Båda parter följer uppförandekoden och uppträder sakligt i media.",
            exchange="Vi får synlighet och lärande; partnern får finansiering och nätverk.",
            termination_terms="Avtalet kan sägas upp med omedelbar verkan om riktlinjerna inte följs.",
            programme_period=ProgrammePeriod.covering(start),
        )
        Goal.objects.create(
            agreement=agreement,
            description="Fler deltagare i verksamheten",
            kind="quantitative",
            indicator="Antal deltagare per år",
            baseline=50,
            target_value=150,
            unit="deltagare",
        )
        Goal.objects.create(
            agreement=agreement,
            description="Målgruppen är delaktig i besluten",
            kind="qualitative",
            expected_outcome="Unga deltagare sitter med i planeringsgruppen.",
            assessment_method="Genomgång av protokoll och intervjuer vid årsuppföljningen.",
        )
        if status != "returned":
            Obligation.objects.create(
                agreement=agreement,
                side="ours",
                category="economic",
                description="Betala bidraget enligt betalningsvillkoren.",
            )
        report = Obligation.objects.create(
            agreement=agreement,
            side="partner",
            category="reporting",
            description="Rapportera resultat och resursanvändning varje år.",
            due_date=add_months(start, 12),
        )
        if status == "approved" and report.due_date < today - datetime.timedelta(days=100):
            # An older agreement's report came in; a newer one's is left overdue.
            report.fulfilment = Fulfilment.FULFILLED
            report.fulfilled_on = report.due_date + datetime.timedelta(days=5)
            report.fulfilment_note = "Årsrapporten kom in och gicks igenom på ett möte."
            report.fulfilment_recorded_by = author
            report.fulfilment_recorded_at = timezone.now()
            report.save()
        AgreementEvent.objects.create(agreement=agreement, actor=author, to_status=Status.DRAFT)
        now = timezone.now()
        steps = {
            "draft": [],
            "pending": [(Status.DRAFT, Status.PENDING, author, "")],
            "returned": [
                (Status.DRAFT, Status.PENDING, author, ""),
                (Status.PENDING, Status.RETURNED, manager, comment),
            ],
            "approved": [
                (Status.DRAFT, Status.PENDING, author, ""),
                (Status.PENDING, Status.APPROVED, manager, ""),
            ],
        }[status]
        for from_status, to_status, actor, text in steps:
            AgreementEvent.objects.create(
                agreement=agreement,
                actor=actor,
                from_status=from_status,
                to_status=to_status,
                comment=text,
            )
        if steps:
            agreement.status = steps[-1][1]
            agreement.submitted_by, agreement.submitted_at = author, now
            if status == "approved":
                agreement.approved_by, agreement.approved_at = manager, now
            agreement.save()
        if status == "approved":
            schedule_evaluation_periods(agreement=agreement)
            _evaluate_finished_years(agreement, author, today)


def _evaluate_finished_years(agreement, evaluator, today):
    """A completed evaluation for each year that ended more than a year ago, so the demo
    shows results and charts; the most recent finished year is left for the user."""
    from evaluations.models import Evaluation, GoalResult

    for period in agreement.evaluation_periods.filter(
        end_date__lt=today - datetime.timedelta(days=200)
    ):
        evaluation = Evaluation.objects.create(
            period=period,
            evaluator=evaluator,
            held_on=period.end_date + datetime.timedelta(days=14),
            participants="Partnerns styrelse och vår handläggare",
            amount_spent=agreement.economic_amount / 3,
            resources_description="Ledararvoden, material och lokalhyra enligt budget.",
            partner_report_received=True,
            target_group_involvement="Deltagarna utvärderade själva.",
            values_upheld="yes",
            lessons_learned="Fler aktiviteter på helger når fler.",
            overall_rating=4,
            recommendation="continue",
            status="completed",
            completed_at=timezone.now(),
            completed_by=evaluator,
        )
        for goal in agreement.goals.all():
            GoalResult.objects.create(
                evaluation=evaluation,
                goal=goal,
                measured_value=110 if goal.kind == "quantitative" else None,
                assessment="" if goal.kind == "quantitative" else "Två unga deltar i planeringen.",
                achievement="partly",
                comment="God utveckling, målet är inom räckhåll.",
            )


# partner name, agreement title or None, days from today, kind, our people, other people on
# our side, partner contacts, other partner participants, topics, learned, follow-ups as
# (description, owner, due in days from today, done)
DEMO_DIALOGUE = [
    (
        "Föreningen Läslust Malmö",
        "Läslust i ytterområdena",
        -250,
        "visit",
        ["anna"],
        "",
        ["Sara Nyström"],
        "Två läxhjälpare",
        "Besök på läxhjälpen i Rosengård. Upplägget för bokcirklarna under hösten.",
        "Barnen vill själva välja böckerna; cirklarna med egna val hade dubbelt så många "
        "deltagare.",
        [("Skicka mall för halvårsrapporten", "anna", -230, True)],
    ),
    (
        "Föreningen Läslust Malmö",
        "Läslust i ytterområdena",
        -120,
        "meeting",
        ["anna", "maria"],
        "",
        ["Sara Nyström", "Jonas Ek"],
        "",
        "Halvårsavstämning: deltagarantal, ekonomi och målgruppens delaktighet.",
        "Föräldrar når vi bäst på kvällstid. Kassören behöver en enklare budgetmall.",
        [
            ("Ta fram en enklare budgetmall", "anna", -20, False),
            ("Bjud in två unga till planeringsgruppen", "erik", 30, False),
        ],
    ),
    (
        "Föreningen Läslust Malmö",
        None,
        -15,
        "call",
        ["anna"],
        "",
        ["Sara Nyström"],
        "",
        "Samtal om en möjlig fortsättning efter avtalsperioden.",
        "",
        [("Boka möte om nytt avtal", "anna", 14, False)],
    ),
    (
        "Kulturhuset Ängby",
        "Kulturskola för alla",
        -300,
        "workshop",
        ["erik", "anna"],
        "Volontär från vår styrelse",
        ["Åsa Hägg"],
        "Fyra ungdomar från sommarlägret",
        "Verkstad med ungdomarna om vad kulturskolan ska erbjuda nästa termin.",
        "Ungdomarna vill ha fler kvällspass och kurser i ljudteknik; de vill också "
        "vara med och välja lärare.",
        [
            ("Undersöka kostnad för ljudteknikkurs", "erik", -200, False),
            ("Skicka sammanfattning till ungdomarna", "erik", -280, True),
        ],
    ),
    (
        "Kulturhuset Ängby",
        "Kulturskola för alla",
        -150,
        "meeting",
        ["erik"],
        "",
        ["Åsa Hägg"],
        "",
        "Uppföljning av kvällspassen och närvaron.",
        "Kvällspassen har lockat nya deltagare, men närvaron sjunker efter sex veckor.",
        [],
    ),
    (
        "Asociación Puente Andino",
        None,
        -40,
        "call",
        ["erik", "maria"],
        "",
        ["Lucía Mamani"],
        "",
        "Riskbedömning inför det nya avtalet: säkerheten för radioreportrarna.",
        "Partnern har en egen säkerhetsplan men saknar försäkring för utrustningen.",
        [("Ta reda på försäkringsalternativ", "maria", -5, False)],
    ),
]


def _create_demo_dialogue(users, today):
    """Conversations with partners, some in periods awaiting evaluation, and follow-ups:
    done, open and overdue, so the dashboards and the evaluation form show them."""
    from partnerships.models import DialogueEntry, DialogueFollowUp, DialoguePartnerParticipant

    for (
        partner_name,
        agreement_title,
        offset,
        kind,
        ours,
        our_others,
        contacts,
        theirs,
        topics,
        learned,
        follow_ups,
    ) in DEMO_DIALOGUE:
        partner = Partner.objects.get(name=partner_name)
        date = today + datetime.timedelta(days=offset)
        if partner.dialogue_entries.filter(date=date, kind=kind).exists():
            continue
        entry = DialogueEntry(
            partner=partner,
            date=date,
            kind=kind,
            agreement=partner.agreements.filter(title=agreement_title).first()
            if agreement_title
            else None,
            our_other_participants=our_others,
            partner_participants=theirs,
            topics=topics,
            learned=learned,
            created_by=users[ours[0]],
        )
        entry.full_clean()
        entry.save()
        entry.our_participants.set([users[name] for name in ours])
        for contact in partner.contacts.filter(name__in=contacts):
            DialoguePartnerParticipant.objects.create(
                entry=entry, contact=contact, name=contact.name
            )
        for description, owner, due_in, done in follow_ups:
            follow_up = DialogueFollowUp(
                entry=entry,
                description=description,
                owner=users[owner],
                due_date=today + datetime.timedelta(days=due_in),
            )
            if done:
                follow_up.done_at = timezone.now() - datetime.timedelta(days=max(-due_in, 0))
                follow_up.done_by = users[owner]
                follow_up.done_note = "Klart."
            follow_up.full_clean()
            follow_up.save()


def database_is_empty() -> bool:
    return not get_user_model().objects.exists() and not Partner.objects.exists()


def create_demo_data() -> None:
    User = get_user_model()
    users = {}
    for username, password, first_name, last_name, group_name in DEMO_USERS:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@demo.example",
            },
        )
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=group_name))
        users[username] = user

    focus_areas = {area.code: area for area in FocusArea.objects.all()}
    today = timezone.localdate()
    responsible_cycle = [users["anna"], users["erik"], users["maria"]]
    for index, data in enumerate(DEMO_PARTNERS):
        if Partner.objects.filter(name__iexact=data["name"]).exists():
            continue
        responsible = responsible_cycle[index % len(responsible_cycle)]
        partner = Partner(
            name=data["name"],
            organisation_number=data["organisation_number"],
            kind=data["kind"],
            country=data["country"],
            city=data.get("city", ""),
            postal_code=data.get("postal_code", ""),
            street_address=data.get("street_address", ""),
            email=data.get("email", ""),
            website=data.get("website", ""),
            description=data["description"],
            responsible=responsible,
            created_by=responsible,
            risk_level=data["risk"],
            risk_note="Verksamhet i utsatt miljö; tät uppföljning."
            if data["risk"] == "high"
            else "",
        )
        if data["complete"]:
            reviewed = today - datetime.timedelta(days=40 + index * 20)
            partner.shares_values = True
            partner.values_confirmed_on = reviewed
            partner.values_confirmed_by = responsible
            partner.code_of_conduct_accepted_on = reviewed
            partner.financial_routines_documented = True
            partner.financial_routines_document.save(
                "rutiner.pdf", ContentFile(_DEMO_PDF), save=False
            )
            partner.last_due_diligence_review_on = reviewed
        partner.full_clean()
        partner.save()
        partner.focus_areas.set([focus_areas[code] for code in data["focus"]])
        for name, role, email, phone in data["contacts"]:
            PartnerContact.objects.create(
                partner=partner, name=name, role=role, email=email, phone=phone
            )
    _create_demo_agreements(users, today)
    _create_demo_dialogue(users, today)
    create_demo_portal()
