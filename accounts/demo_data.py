"""Demo users and partners for trying the application locally (`make run`)."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.roles import MANAGERS_GROUP, STAFF_GROUP
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
        "contacts": [("Sara Nyström", "Verksamhetsledare", "sara@laslust.example", "040-123 45 67"),
                     ("Jonas Ek", "Kassör", "jonas@laslust.example", "")],
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
        "contacts": [("Mohammed Al-Rashid", "Programansvarig", "mohammed@oppnadorrar.example", ""),
                     ("Karin Ström", "Ekonomichef", "karin@oppnadorrar.example", "031-70 80 90")],
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
        "contacts": [("Grace Achieng", "Programme coordinator", "grace@kyln.example", ""),
                     ("David Otieno", "Finance officer", "david@kyln.example", "")],
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
            risk_note="Verksamhet i utsatt miljö; tät uppföljning." if data["risk"] == "high" else "",
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
