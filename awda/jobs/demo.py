"""Demo data of the job market (``awda demo``): 50 companies, 300 offers, job profiles and placements.

Made through the real actions, so that the audit log, the consents and the placements' history are those a
real run leaves: MoLSA's employment office (the demo user ``jobs``) records most companies and their
offers; a few companies registered themselves (four wait for review, one was rejected); the demo company
``rafidain-build`` (user ``employer``) and ``erbil-digital`` are approved members of the multi-stakeholder
platform. Case workers of MoMD Baghdad and Erbil keep job profiles for many of their job seekers and
propose offers to them; placements stand in every state, with hires whose retention checks are due, one
overdue. Seeded, so every run makes the same companies, offers and choices; idempotent: does nothing once
the demo company has its profile.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from awda.accounts.demo import DEMO_PASSWORD, DemoLogin
from awda.accounts.enums import Role
from awda.accounts.models import Institution, Office, User
from awda.accounts.roles import default_scope
from awda.core import audit
from awda.core.models import AuditAction
from awda.geo.models import District, Governorate
from awda.jobs import actions, queries, rules
from awda.jobs.enums import (
    COMMITMENT_OF_OFFER,
    CommitmentKind,
    EmployerStatus,
    Mobility,
    OfferKind,
    OfferStatus,
    PlacementStatus,
    RetentionResult,
    WorkingTime,
)
from awda.jobs.models import Commitment, Employer, Offer, Placement, RetentionCheck, SkillTerm
from awda.referrals.enums import Dimension
from awda.referrals.models import PlanGoal
from awda.registry.enums import CaseStatus
from awda.registry.models import Returnee, Skill
from awda.registry.queries import returnees_editable_by

SEED = 2026
EMPLOYERS_WANTED = 50
OFFERS_WANTED = 300
JOBS_USER = ("jobs", "Karim", "Hashim")  # MoLSA Baghdad's employment office
KURDISTAN = ("IQG06", "IQG09", "IQG11")
WALK_THROUGH = "rafidain-build"  # the demo employer's company

# The districts offers are placed in: the governorate's towns (urban) and its countryside (rural).
URBAN_DISTRICTS = {
    "IQG01": ["IQG01Q03", "IQG01Q01"],
    "IQG02": ["IQG02Q02", "IQG02Q06"],
    "IQG04": ["IQG04Q03", "IQG04Q01"],
    "IQG06": ["IQG06Q01"],
    "IQG07": ["IQG07Q02"],
    "IQG08": ["IQG08Q03", "IQG08Q06", "IQG08Q01", "IQG08Q02"],
    "IQG09": ["IQG09Q02", "IQG09Q04"],
    "IQG10": ["IQG10Q04"],
    "IQG11": ["IQG11Q02"],
    "IQG12": ["IQG12Q03"],
    "IQG13": ["IQG13Q04"],
    "IQG14": ["IQG14Q01"],
    "IQG15": ["IQG15Q05"],
    "IQG16": ["IQG16Q06", "IQG16Q05"],
    "IQG17": ["IQG17Q04"],
    "IQG18": ["IQG18Q02"],
}

# Occupations companies of each ISIC section hire for: ISCO-08 unit group and the title in Arabic, Kurdish
# and English.
# fmt: off
ROLES: dict[str, list[tuple[str, str, str, str]]] = {
    "A": [
        ("6111", "مزارع محاصيل حقلية", "جووتیاری بەروبوومی کێڵگە", "Field crop grower"),
        ("6112", "عامل بساتين نخيل وفاكهة", "کرێکاری باخی خورما و میوە", "Date palm and orchard worker"),
        ("6113", "عامل مشاتل وبيوت بلاستيكية", "کرێکاری نەمامگە و خانووی پلاستیکی", "Nursery and greenhouse worker"),
        ("6121", "مربي مواشي", "بەخێوکەری ئاژەڵ", "Livestock keeper"),
        ("6122", "عامل حقل دواجن", "کرێکاری کێڵگەی پەلەوەر", "Poultry farm worker"),
        ("6221", "عامل مزرعة أسماك", "کرێکاری کێڵگەی ماسی", "Fish farm worker"),
        ("8341", "سائق جرار زراعي", "شۆفێری تراکتۆر", "Tractor driver"),
        ("9211", "عامل زراعي", "کرێکاری کشتوکاڵ", "Farm labourer"),
        ("2132", "مهندس زراعي", "ئەندازیاری کشتوکاڵ", "Agronomist"),
    ],
    "B": [
        ("3117", "فني حقول نفطية", "تەکنیکاری کێڵگەی نەوت", "Oilfield technician"),
        ("8113", "عامل حفر آبار", "کرێکاری هەڵکەندنی بیر", "Well driller"),
        ("7233", "ميكانيكي صيانة معدات", "میکانیکی چاککردنەوەی ئامێر", "Equipment maintenance mechanic"),
        ("8332", "سائق شاحنة ثقيلة", "شۆفێری بارهەڵگری قورس", "Heavy truck driver"),
        ("2146", "مهندس نفط", "ئەندازیاری نەوت", "Petroleum engineer"),
        ("5414", "حارس أمن موقع", "پاسەوانی شوێنی کار", "Site security guard"),
    ],
    "C": [
        ("7512", "خباز", "نانەوا", "Baker"),
        ("7513", "عامل منتجات ألبان", "کرێکاری بەرهەمی شیر", "Dairy products maker"),
        ("7511", "قصاب", "قەساب", "Butcher"),
        ("8160", "مشغل خط إنتاج أغذية", "کارپێکەری هێڵی بەرهەمهێنانی خۆراک", "Food production line operator"),
        ("7531", "خياط", "بەرگدروو", "Tailor"),
        ("8153", "مشغل ماكينة خياطة", "کارپێکەری مەکینەی دروومان", "Sewing machine operator"),
        ("7522", "نجار موبيليا", "دارتاشی مۆبیلیا", "Furniture maker"),
        ("7212", "لحّام", "لەحیمکار", "Welder"),
        ("7214", "حداد ألمنيوم وهياكل", "ئاسنگەری ئەلەمنیۆم و چوارچێوە", "Aluminium and steel fabricator"),
        ("7223", "خراط", "خەڕات", "Lathe operator"),
        ("9329", "عامل تعبئة وتغليف", "کرێکاری پێچانەوە", "Packing worker"),
    ],
    "D": [
        ("3131", "مشغل مولدة كهرباء", "کارپێکەری مۆلیدە", "Generator operator"),
        ("7412", "فني كهرباء", "تەکنیکاری کارەبا", "Electrical mechanic"),
        ("7413", "عامل خطوط كهرباء", "کرێکاری هێڵی کارەبا", "Power line worker"),
        ("7411", "فني تركيب ألواح شمسية", "وەستای دانانی پانێڵی خۆر", "Solar panel installer"),
        ("2151", "مهندس كهرباء", "ئەندازیاری کارەبا", "Electrical engineer"),
    ],
    "F": [
        ("7112", "بنّاء", "بەنا", "Bricklayer"),
        ("7115", "نجار قوالب", "دارتاشی قالب", "Formwork carpenter"),
        ("7114", "حداد تسليح", "ئاسنبەندی کۆنکرێت", "Steel fixer"),
        ("7411", "كهربائي مباني", "کارەباچیی بینا", "Building electrician"),
        ("7126", "سبّاك", "بۆریچی", "Plumber"),
        ("7131", "صبّاغ", "بۆیاخچی", "Painter"),
        ("7122", "عامل كاشي وسيراميك", "کاشیکار", "Tile setter"),
        ("7123", "لبّاخ", "سواخکار", "Plasterer"),
        ("7127", "فني تبريد وتكييف", "وەستای سارکەرەوە", "Air-conditioning technician"),
        ("8342", "مشغل معدات ثقيلة", "کارپێکەری ئامێری قورس", "Heavy equipment operator"),
        ("9313", "عامل بناء", "کرێکاری بیناسازی", "Construction labourer"),
        ("2142", "مهندس مدني", "ئەندازیاری شارستانی", "Civil engineer"),
        ("3112", "مراقب موقع", "چاودێری شوێنی کار", "Site supervisor"),
    ],
    "G": [
        ("7231", "ميكانيكي سيارات", "میکانیکی ئۆتۆمبێل", "Car mechanic"),
        ("7412", "كهربائي سيارات", "کارەباچیی ئۆتۆمبێل", "Auto electrician"),
        ("7213", "سمكري سيارات", "وەستای بۆدی ئۆتۆمبێل", "Panel beater"),
        ("5223", "بائع في محل", "فرۆشیار", "Shop sales assistant"),
        ("5230", "أمين صندوق", "کاشێر", "Cashier"),
        ("4321", "أمين مخزن", "کۆگاوان", "Storekeeper"),
        ("3322", "مندوب مبيعات", "نوێنەری فرۆشتن", "Sales representative"),
        ("9333", "عامل تحميل", "کرێکاری بارکردن", "Loader"),
    ],
    "H": [
        ("8322", "سائق سيارة", "شۆفێر", "Driver"),
        ("8332", "سائق شاحنة", "شۆفێری بارهەڵگر", "Truck driver"),
        ("8344", "سائق رافعة شوكية", "شۆفێری فۆرکلیفت", "Forklift operator"),
        ("9333", "عامل شحن وتفريغ", "کرێکاری بارکردن و داگرتن", "Freight handler"),
        ("4323", "موظف حركة ونقل", "کارمەندی گواستنەوە", "Transport clerk"),
        ("9621", "موزّع طلبات", "گەیەنەری داواکاری", "Delivery rider"),
    ],
    "I": [
        ("5120", "طباخ", "چێشتلێنەر", "Cook"),
        ("5131", "نادل", "گارسۆن", "Waiter"),
        ("9412", "مساعد مطبخ", "یارمەتیدەری چێشتخانە", "Kitchen helper"),
        ("4224", "موظف استقبال فندق", "کارمەندی پێشوازیی هوتێل", "Hotel receptionist"),
        ("9112", "عامل تنظيف غرف", "پاککەرەوەی ژوور", "Room attendant"),
        ("3434", "رئيس طهاة", "سەرۆکی چێشتلێنەران", "Head chef"),
        ("5151", "مشرف خدمات فندقية", "سەرپەرشتیاری خزمەتگوزاریی هوتێل", "Housekeeping supervisor"),
    ],
    "J": [
        ("2512", "مطور برمجيات", "گەشەپێدەری نەرمەکاڵا", "Software developer"),
        ("2513", "مطور مواقع إلكترونية", "گەشەپێدەری ماڵپەڕ", "Web developer"),
        ("3512", "فني دعم تقني", "تەکنیکاری پشتگیریی تەکنیکی", "IT support technician"),
        ("3513", "فني شبكات", "تەکنیکاری تۆڕ", "Network technician"),
        ("2166", "مصمم جرافيك", "دیزاینەری گرافیک", "Graphic designer"),
        ("2431", "مسوّق رقمي", "بازاڕکاری دیجیتاڵ", "Digital marketer"),
        ("4222", "موظف مركز اتصال", "کارمەندی سەنتەری پەیوەندی", "Call centre agent"),
    ],
    "K": [
        ("4211", "صراف", "سەڕاف", "Bank teller"),
        ("4311", "محاسب مساعد", "یاریدەدەری ژمێریار", "Bookkeeping clerk"),
        ("2411", "محاسب", "ژمێریار", "Accountant"),
        ("5221", "صاحب مشروع صغير", "خاوەن پڕۆژەی بچووک", "Small shopkeeper"),
        ("3312", "موظف قروض", "کارمەندی قەرز", "Loan officer"),
    ],
    "M": [
        ("2142", "مهندس مدني", "ئەندازیاری شارستانی", "Civil engineer"),
        ("3112", "فني مساحة ومدني", "تەکنیکاری ڕووپێوی", "Civil engineering technician"),
        ("2643", "مترجم", "وەرگێڕ", "Translator"),
        ("2411", "محاسب", "ژمێریار", "Accountant"),
        ("4110", "موظف إداري", "کارمەندی کارگێڕی", "Office clerk"),
    ],
    "N": [
        ("5414", "حارس أمن", "پاسەوان", "Security guard"),
        ("9112", "عامل تنظيف", "پاککەرەوە", "Cleaner"),
        ("4222", "موظف مركز اتصال", "کارمەندی سەنتەری پەیوەندی", "Call centre agent"),
        ("4110", "موظف إداري", "کارمەندی کارگێڕی", "Office clerk"),
        ("5153", "مشرف صيانة مبانٍ", "سەرپەرشتیاری چاککردنەوەی بینا", "Building caretaker"),
    ],
    "P": [
        ("7411", "كهربائي مباني", "کارەباچیی بینا", "Building electrician"),
        ("7212", "لحّام", "لەحیمکار", "Welder"),
        ("7231", "ميكانيكي سيارات", "میکانیکی ئۆتۆمبێل", "Car mechanic"),
        ("4132", "مدخل بيانات", "تۆمارکەری زانیاری", "Data entry clerk"),
        ("5142", "خبيرة تجميل", "جوانکار", "Beautician"),
        ("2353", "مدرس لغة", "مامۆستای زمان", "Language teacher"),
        ("2643", "مترجم", "وەرگێڕ", "Translator"),
        ("5311", "مربية أطفال", "پەروەردەکاری منداڵ", "Childcare worker"),
    ],
    "Q": [
        ("3221", "ممرض", "پەرستار", "Nurse"),
        ("3213", "مساعد صيدلي", "یاریدەدەری دەرمانساز", "Pharmacy assistant"),
        ("3212", "فني مختبر", "تەکنیکاری تاقیگە", "Laboratory technician"),
        ("4226", "موظف استقبال عيادة", "کارمەندی پێشوازیی کلینیک", "Clinic receptionist"),
        ("5321", "مساعد رعاية صحية", "یاریدەدەری چاودێریی تەندروستی", "Healthcare assistant"),
        ("3258", "مسعف", "فریاگوزار", "Paramedic"),
        ("2221", "ممرض جامعي", "پەرستاری زانکۆیی", "Registered nurse"),
    ],
    "S": [
        ("5141", "حلاق", "سەرتاش", "Barber"),
        ("5142", "خبيرة تجميل", "جوانکار", "Beautician"),
        ("7422", "فني تصليح موبايلات", "وەستای چاککردنەوەی مۆبایل", "Mobile phone repair technician"),
        ("7421", "فني تصليح أجهزة إلكترونية", "وەستای چاککردنەوەی ئەلیکترۆنیات", "Electronics repair technician"),
    ],
}
# fmt: on

# What kinds of offer a section's companies make (weights of job, internship, apprenticeship, training,
# in-kind support).
KINDS = [OfferKind.JOB, OfferKind.INTERNSHIP, OfferKind.APPRENTICESHIP, OfferKind.TRAINING, OfferKind.IN_KIND]
KIND_WEIGHTS: dict[str, list[int]] = {
    "default": [64, 12, 10, 9, 5],
    "A": [55, 5, 10, 12, 18],
    "J": [50, 30, 0, 20, 0],
    "K": [15, 5, 0, 30, 50],
    "P": [5, 10, 25, 60, 0],
    "walk-through": [80, 5, 10, 5, 0],  # the demo company: jobs to propose people for and to hire
}
SIZE_OFFERS = {"large": 12, "medium": 8, "small": 5, "micro": 2}


@dataclass(frozen=True)
class DemoEmployer:
    key: str
    sector: str
    size: str
    governorates: tuple[str, ...]
    contact: str
    name_ar: str
    name_ckb: str
    name_en: str
    how: str = "staff"  # staff | self (registered, approved) | pending | rejected | an existing institution
    member: bool = False


E = DemoEmployer
# fmt: off
EMPLOYERS: list[DemoEmployer] = [
    E("rafidain-build", "F", "medium", ("IQG02", "IQG08"), "مصطفى سلمان",
      "", "", "", how="existing", member=True),
    E("erbil-digital", "J", "small", ("IQG11",), "ڕێبوار کەریم",
      "", "", "", how="existing", member=True),
    E("dijla-contracting", "F", "large", ("IQG08", "IQG01", "IQG15"), "علي حسن الجبوري",
      "شركة دجلة العامة للمقاولات الإنشائية", "کۆمپانیای دیجلە بۆ بەڵێندەرایەتیی بیناسازی", "Dijla Construction Contracting", member=True),
    E("ninewa-reconstruction", "F", "medium", ("IQG15", "IQG16"), "عمر يونس العبيدي",
      "شركة نينوى لإعادة الإعمار", "کۆمپانیای نەینەوا بۆ ئاوەدانکردنەوە", "Ninewa Reconstruction Company", member=True),
    E("nozhen-building", "F", "small", ("IQG11",), "سەردار عەزیز",
      "شركة نوژەن للبناء", "کۆمپانیای نۆژەن بۆ بیناسازی", "Nozhen Building Company"),
    E("shatt-marine", "F", "medium", ("IQG02",), "حيدر كاظم الساعدي",
      "شركة شط العرب للإنشاءات البحرية", "کۆمپانیای شەتولعەرەب بۆ بیناسازیی دەریایی", "Shatt al-Arab Marine Construction"),
    E("aso-solar", "D", "small", ("IQG06", "IQG11"), "شوان مەحموود",
      "شركة ئاسۆ للطاقة الشمسية", "کۆمپانیای ئاسۆ بۆ وزەی خۆر", "Aso Solar Energy"),
    E("baghdad-soft", "J", "small", ("IQG08",), "زينب عباس",
      "شركة بغداد سوفت للبرمجيات", "کۆمپانیای بەغدا سۆفت بۆ نەرمەکاڵا", "Baghdad Soft", member=True),
    E("mada-telecom", "J", "medium", ("IQG08", "IQG02"), "ياسر خالد",
      "شركة المدى لخدمات الاتصالات", "کۆمپانیای مەدا بۆ خزمەتگوزاریی پەیوەندییەکان", "Al-Mada Telecom Services"),
    E("kurdistan-code", "J", "small", ("IQG11", "IQG06"), "ڤیان ئەحمەد",
      "شركة كوردستان كود", "کۆمپانیای کوردستان کۆد", "Kurdistan Code"),
    E("avesta-design", "J", "micro", ("IQG06",), "ئاوات جەمال",
      "استوديو ئاڤێستا للتصميم", "ستۆدیۆی ئاڤێستا بۆ دیزاین", "Avesta Design Studio", how="self"),
    E("rafid-contact", "N", "medium", ("IQG08",), "نور محمد الربيعي",
      "مركز الرافد لخدمة العملاء", "سەنتەری ڕافید بۆ خزمەتی کڕیاران", "Al-Rafid Customer Contact Centre", member=True),
    E("diyala-orchards", "A", "medium", ("IQG10",), "جاسم محمد التميمي",
      "شركة بساتين ديالى للإنتاج الزراعي", "کۆمپانیای باخەکانی دیالە بۆ بەرهەمی کشتوکاڵی", "Diyala Orchards Agricultural Company", member=True),
    E("ninewa-plains-coop", "A", "small", ("IQG15",), "يوسف إبراهيم",
      "الجمعية الزراعية لسهل نينوى", "کۆمەڵەی کشتوکاڵیی دەشتی نەینەوا", "Ninewa Plains Farmers' Cooperative"),
    E("euphrates-poultry", "A", "small", ("IQG07",), "حسين علي الخفاجي",
      "مزارع الفرات للدواجن", "کێڵگەکانی فورات بۆ پەلەوەر", "Euphrates Poultry Farms"),
    E("wasit-fish", "A", "micro", ("IQG18",), "كريم جبار",
      "مزرعة واسط للأسماك", "کێڵگەی ماسیی واست", "Wasit Fish Farm"),
    E("duhok-greenhouses", "A", "small", ("IQG09",), "دلشاد حەسەن",
      "شركة دهوك للبيوت البلاستيكية", "کۆمپانیای دهۆک بۆ خانووی پلاستیکی", "Duhok Greenhouses"),
    E("karkh-food", "C", "large", ("IQG08",), "سعد مهدي الزبيدي",
      "شركة الكرخ للصناعات الغذائية", "کۆمپانیای کەرخ بۆ پیشەسازیی خۆراک", "Al-Karkh Food Industries", member=True),
    E("erbil-dairy", "C", "medium", ("IQG11",), "کاروان عەلی",
      "معمل أربيل للألبان", "کارگەی شیری هەولێر", "Erbil Dairy Factory", member=True),
    E("basra-bakeries", "C", "small", ("IQG02", "IQG17"), "عباس ناصر",
      "مخابز البصرة الحديثة", "نانەواخانە نوێیەکانی بەسرە", "Basra Modern Bakeries"),
    E("kirkuk-garments", "C", "medium", ("IQG13",), "ليلى حسن البياتي",
      "شركة كركوك للخياطة والألبسة", "کۆمپانیای کەرکووک بۆ دروومان و جلوبەرگ", "Kirkuk Garments Company"),
    E("mosul-furniture", "C", "small", ("IQG15",), "خالد عمر",
      "ورشة الموصل للأثاث", "کارگەی مۆبیلیای مووسڵ", "Mosul Furniture Workshop"),
    E("najaf-dates", "C", "medium", ("IQG04", "IQG12"), "مرتضى جواد الموسوي",
      "شركة النجف لتعبئة التمور", "کۆمپانیای نەجەف بۆ پێچانەوەی خورما", "Najaf Date Packing Company"),
    E("baghdad-aluminium", "C", "small", ("IQG08",), "سجاد كريم",
      "مصنع بغداد للحديد والألمنيوم", "کارگەی بەغدا بۆ ئاسن و ئەلەمنیۆم", "Baghdad Steel and Aluminium Works"),
    E("citadel-hotel", "I", "large", ("IQG11",), "هاوڕێ ئازاد",
      "فندق قلعة أربيل الدولي", "هوتێلی نێودەوڵەتیی قەڵای هەولێر", "Erbil Citadel International Hotel", member=True),
    E("tigris-palace", "I", "medium", ("IQG08",), "مريم عبد الله",
      "فندق دجلة بالاس", "هوتێلی دیجلە پالاس", "Tigris Palace Hotel", member=True),
    E("zaereen-hotels", "I", "medium", ("IQG12", "IQG04"), "محمد رضا الحسيني",
      "مجموعة فنادق الزائرين", "گرووپی هوتێلەکانی زائیران", "Al-Zaereen Hotels Group"),
    E("corniche-restaurants", "I", "small", ("IQG02",), "أحمد فاضل",
      "مطاعم الكورنيش", "چێشتخانەکانی کۆرنیش", "Corniche Restaurants"),
    E("azadi-cafe", "I", "micro", ("IQG06",), "بەختیار ڕەشید",
      "مطعم وكافتيريا ئازادي", "چێشتخانە و کافتریای ئازادی", "Azadi Restaurant and Café", how="pending"),
    E("amin-garage", "G", "small", ("IQG08",), "حسن جاسم",
      "كراج الأمين لتصليح السيارات", "گەراجی ئەمین بۆ چاککردنەوەی ئۆتۆمبێل", "Al-Amin Car Repair Garage"),
    E("shakhawan-garage", "G", "micro", ("IQG11",), "شاخەوان عومەر",
      "كراج شاخەوان", "گەراجی شاخەوان", "Shakhawan Garage", how="self"),
    E("mansour-markets", "G", "medium", ("IQG08", "IQG11", "IQG02"), "هدى كاظم",
      "أسواق المنصور المركزية", "بازاڕە ناوەندییەکانی مەنسوور", "Al-Mansour Hypermarkets", member=True),
    E("hadba-parts", "G", "small", ("IQG15",), "إبراهيم سالم",
      "معرض الحدباء لقطع الغيار", "پێشانگای حەدبا بۆ پارچەی یەدەگ", "Al-Hadba Spare Parts", how="rejected"),
    E("shifa-medical", "Q", "small", ("IQG08",), "د. سارة علي",
      "مجمع الشفاء الطبي", "کۆمەڵگەی پزیشکیی شیفا", "Al-Shifa Medical Complex"),
    E("erbil-clinics", "Q", "small", ("IQG11",), "د. ژیان کەمال",
      "عيادات أربيل التخصصية", "کلینیکە پسپۆڕییەکانی هەولێر", "Erbil Specialist Clinics"),
    E("mosul-pharmacy", "Q", "micro", ("IQG15",), "رقية يونس",
      "صيدلية ومختبر الموصل", "دەرمانخانە و تاقیگەی مووسڵ", "Mosul Pharmacy and Laboratory", how="self"),
    E("basra-hospital", "Q", "medium", ("IQG02", "IQG14"), "د. فاطمة عبد الحسين",
      "مستشفى البصرة الأهلي", "نەخۆشخانەی ئەهلیی بەسرە", "Basra Private Hospital", member=True),
    E("gulf-transport", "H", "medium", ("IQG02", "IQG08", "IQG16"), "مهدي عبد الرضا",
      "شركة الخليج للنقل والشحن", "کۆمپانیای کەنداو بۆ گواستنەوە و بارکردن", "Gulf Transport and Freight", member=True),
    E("zakho-transport", "H", "small", ("IQG09", "IQG11"), "ئازاد سلێمان",
      "شركة زاخو للنقل البري", "کۆمپانیای زاخۆ بۆ گواستنەوەی وشکانی", "Zakho Land Transport"),
    E("waseet-delivery", "H", "small", ("IQG08",), "مصطفى حيدر",
      "شركة الوسيط للتوصيل", "کۆمپانیای وەسیت بۆ گەیاندن", "Al-Waseet Delivery", how="pending"),
    E("noor-generators", "D", "medium", ("IQG08", "IQG17"), "عبد الرحمن جاسم",
      "شركة النور لتشغيل المولدات", "کۆمپانیای نوور بۆ کارپێکردنی مۆلیدە", "Al-Noor Generators"),
    E("rumaila-services", "B", "large", ("IQG02",), "قاسم محمد المالكي",
      "شركة الرميلة لخدمات الحقول النفطية", "کۆمپانیای ڕومەیلە بۆ خزمەتگوزاریی کێڵگە نەوتییەکان", "Rumaila Oilfield Services", member=True),
    E("dir-security", "N", "medium", ("IQG08", "IQG02"), "ياسر عبد الله الشمري",
      "شركة الدرع للخدمات الأمنية", "کۆمپانیای قەڵغان بۆ پاراستن", "Al-Dir' Security Services"),
    E("paki-cleaning", "N", "small", ("IQG11",), "نازەنین عوسمان",
      "شركة پاكي لخدمات التنظيف", "کۆمپانیای پاکی بۆ پاککردنەوە", "Paki Cleaning Services", how="pending"),
    E("baghdad-vocational", "P", "small", ("IQG08",), "أمل حسين",
      "معهد بغداد الأهلي للتدريب المهني", "پەیمانگای ئەهلیی بەغدا بۆ ڕاهێنانی پیشەیی", "Baghdad Vocational Training Institute", member=True),
    E("languages-academy", "P", "small", ("IQG11", "IQG06"), "شیلان ئەحمەد",
      "أكاديمية اللغات الحديثة", "ئەکادیمیای زمانە نوێیەکان", "Modern Languages Academy", member=True),
    E("nama-microfinance", "K", "medium", ("IQG08", "IQG11", "IQG15"), "عمار سعدون",
      "شركة نماء للتمويل الأصغر", "کۆمپانیای نەما بۆ قەرزی بچووک", "Nama Microfinance", member=True),
    E("anaqa-barber", "S", "micro", ("IQG08",), "علاء كريم",
      "صالون الأناقة للحلاقة", "سالۆنی ئەناقە بۆ سەرتاشین", "Al-Anaqa Barber Salon"),
    E("asman-mobile", "S", "micro", ("IQG11",), "هێمن ڕەحیم",
      "مركز ئاسمان لتصليح الموبايلات", "سەنتەری ئاسمان بۆ چاککردنەوەی مۆبایل", "Asman Mobile Repair", how="pending"),
    E("furatain-engineering", "M", "small", ("IQG08", "IQG07"), "نبيل عبد الكريم",
      "مكتب الفراتين للاستشارات الهندسية", "نووسینگەی فوراتەین بۆ ڕاوێژی ئەندازیاری", "Al-Furatain Engineering Consultants"),
]
# fmt: on
assert len(EMPLOYERS) == EMPLOYERS_WANTED
REJECTION = "The registration number does not match the company register. Please send the certificate."

TITLES: dict[str, dict[str, str]] = {
    OfferKind.JOB: {"ar": "{role}", "ckb": "{role}", "en": "{role}"},
    OfferKind.INTERNSHIP: {
        "ar": "تدريب عملي: {role}",
        "ckb": "ڕاهێنانی کرداری: {role}",
        "en": "Internship: {role}",
    },
    OfferKind.APPRENTICESHIP: {
        "ar": "تلمذة مهنية: {role}",
        "ckb": "شاگردیی پیشەیی: {role}",
        "en": "Apprenticeship: {role}",
    },
    OfferKind.TRAINING: {
        "ar": "دورة تدريبية: {role}",
        "ckb": "خولی ڕاهێنان: {role}",
        "en": "Training course: {role}",
    },
    OfferKind.IN_KIND: {
        "ar": "عدة عمل مجانية — {role}",
        "ckb": "کەلوپەلی کاری بێبەرامبەر — {role}",
        "en": "Free tool kit — {role}",
    },
}
DESCRIPTIONS: dict[str, dict[str, str]] = {
    OfferKind.JOB: {
        "ar": "نبحث عن {role} للعمل معنا في {place}. نرحب بالعائدين، والخبرة المكتسبة في الخارج محسوبة.",
        "ckb": "بەدوای {role} دەگەڕێین بۆ کارکردن لەگەڵمان لە {place}. بەخێرهاتنی گەڕاوەکان دەکەین.",
        "en": "We are looking for a {role} to work with us in {place}. Returnees are welcome; experience gained "
        "abroad counts.",
    },
    OfferKind.INTERNSHIP: {
        "ar": "تدريب عملي لمدة ثلاثة أشهر في {place} مع مشرف من الشركة، وقد يتحول إلى عقد عمل.",
        "ckb": "ڕاهێنانی کرداری بۆ سێ مانگ لە {place} لەگەڵ سەرپەرشتیارێک، لەوانەیە ببێتە گرێبەستی کار.",
        "en": "Three months of practice in {place} with a mentor from the company; it may lead to a contract.",
    },
    OfferKind.APPRENTICESHIP: {
        "ar": "تعلّم المهنة على يد أسطة في ورشتنا في {place} لمدة ستة أشهر، مع أجر شهري.",
        "ckb": "فێربوونی پیشە لای وەستایەک لە کارگەکەمان لە {place} بۆ شەش مانگ، بە کرێی مانگانە.",
        "en": "Learn the trade from a master in our workshop in {place} for six months, with monthly pay.",
    },
    OfferKind.TRAINING: {
        "ar": "دورة مجانية لمدة ستة أسابيع في {place} بشهادة معتمدة، مع أجور النقل للمشاركين.",
        "ckb": "خولێکی بێبەرامبەر بۆ شەش هەفتە لە {place} بە بڕوانامە، لەگەڵ کرێی هاتوچۆ.",
        "en": "A free six-week course in {place} with a recognised certificate; transport costs are paid.",
    },
    OfferKind.IN_KIND: {
        "ar": "عدة عمل كاملة لمن يبدأ العمل لحسابه في {place}، تُسلَّم بعد جلسة تعريفية.",
        "ckb": "کۆمەڵە ئامێرێکی تەواو بۆ ئەوەی کاری خۆی دەست پێ دەکات لە {place}.",
        "en": "A complete tool kit for someone starting to work on their own in {place}, handed over after a "
        "short induction.",
    },
}
CONDITIONS: dict[str, dict[str, str]] = {
    OfferKind.JOB: {
        "ar": "راتب شهري {pay} ألف دينار، ستة أيام في الأسبوع، ضمان اجتماعي.",
        "ckb": "مووچەی مانگانە {pay} هەزار دینار، شەش ڕۆژ لە هەفتەیەکدا، دڵنیایی کۆمەڵایەتی.",
        "en": "Monthly pay {pay},000 IQD, six days a week, social security.",
    },
    OfferKind.INTERNSHIP: {
        "ar": "مكافأة شهرية {pay} ألف دينار.",
        "ckb": "پاداشتی مانگانە {pay} هەزار دینار.",
        "en": "Monthly allowance {pay},000 IQD.",
    },
    OfferKind.APPRENTICESHIP: {
        "ar": "أجر شهري {pay} ألف دينار خلال التلمذة.",
        "ckb": "کرێی مانگانە {pay} هەزار دینار لە ماوەی شاگردیدا.",
        "en": "Monthly pay {pay},000 IQD during the apprenticeship.",
    },
    OfferKind.TRAINING: {
        "ar": "مجانية؛ أجور النقل مدفوعة.",
        "ckb": "بێبەرامبەر؛ کرێی هاتوچۆ دەدرێت.",
        "en": "Free of charge; transport paid.",
    },
    OfferKind.IN_KIND: {"ar": "", "ckb": "", "en": ""},
}
COMMITMENT_TEXT: dict[str, dict[str, str]] = {
    CommitmentKind.JOBS: {
        "ar": "فرص عمل للعائدين في مشاريع الشركة",
        "ckb": "هەلی کار بۆ گەڕاوەکان لە پڕۆژەکانی کۆمپانیا",
        "en": "Jobs for returnees in the company's projects",
    },
    CommitmentKind.INTERNSHIPS: {
        "ar": "تدريب عملي للشباب العائدين",
        "ckb": "ڕاهێنانی کرداری بۆ گەنجانی گەڕاوە",
        "en": "Internships for young returnees",
    },
    CommitmentKind.TRAINING: {
        "ar": "مقاعد تدريب مهني مجانية",
        "ckb": "شوێنی ڕاهێنانی پیشەیی بێبەرامبەر",
        "en": "Free vocational training places",
    },
    CommitmentKind.MENTORING: {
        "ar": "إرشاد أصحاب المشاريع الصغيرة من العائدين",
        "ckb": "ڕێنمایی خاوەن پڕۆژە بچووکەکانی گەڕاوە",
        "en": "Mentoring of returnees starting a small business",
    },
    CommitmentKind.IN_KIND: {
        "ar": "عدد عمل ومعدات للعائدين",
        "ckb": "ئامێر و کەلوپەلی کار بۆ گەڕاوەکان",
        "en": "Tools and equipment for returnees",
    },
}
PRIORITY = ["female_head_of_household", "returned_from_europe", "low_skilled", "displaced_returnee"]
GENERIC_SKILLS = ["computer-basics", "customer-service", "car-driving", "cleaning", "sales", "first-aid"]
# Languages people bring back from the country they returned from.
LANGUAGE_OF_COUNTRY = {
    "DE": "de", "AT": "de", "SE": "sv", "TR": "tr", "GB": "en", "NL": "nl", "FI": "fi", "DK": "da",
    "BE": "fr", "GR": "el", "BY": "ru", "LT": "ru", "JO": "en", "LB": "fr", "AE": "en",
}  # fmt: skip


@dataclass
class _World:
    rng: random.Random
    today: date
    staff: User
    company: User | None
    workers: list[User]
    skills: dict[str, SkillTerm]
    districts: dict[str, list[str]]  # governorate → its districts


# --------------------------------------------------------------------------------------------------
# The employment office's demo user
# --------------------------------------------------------------------------------------------------


def demo_jobs_account() -> DemoLogin | None:
    """The case worker of MoLSA's Baghdad office who acts as the employment office (idempotent)."""
    office = (
        Office.objects.filter(institution__code="molsa", governorate_id="IQG08")
        .select_related("institution")
        .first()
    )
    if office is None:
        return None
    username, first, last = JOBS_USER
    user = User.objects.filter(username=username).first() or User(username=username)
    user.role = Role.CASE_WORKER
    user.office = office
    user.institution = office.institution
    user.first_name, user.last_name = first, last
    user.scope = default_scope(Role.CASE_WORKER)
    user.email = f"{username}@demo.awda.invalid"
    if not user.pk:
        user.set_password(DEMO_PASSWORD)
    user.save()
    return DemoLogin(username, str(Role(Role.CASE_WORKER).label), office.institution.name_en, False)


# --------------------------------------------------------------------------------------------------
# Companies and commitments
# --------------------------------------------------------------------------------------------------


def _language_of(spec: DemoEmployer) -> str:
    return "ckb" if spec.governorates[0] in KURDISTAN else "ar"


def _employer_data(spec: DemoEmployer, world: _World) -> dict[str, Any]:
    rng = world.rng
    home = spec.governorates[0]
    district = URBAN_DISTRICTS.get(home, [""])[0]
    place = District.objects.filter(pk=district).first()
    return {
        "name_ar": spec.name_ar,
        "name_ckb": spec.name_ckb,
        "name_en": spec.name_en,
        "sector": spec.sector,
        "size": spec.size,
        "governorates": list(spec.governorates),
        "registration_number": f"{home}-{rng.randint(10000, 99999)}",
        "address": place.name_ar if place else "",
        "contact_name": spec.contact,
        "contact_phone": f"+9647{rng.choice('5789')}{rng.randint(10000000, 99999999)}",
        "contact_email": f"jobs@{spec.key}.demo.awda.invalid",
        "platform_member": spec.member,
        "language": _language_of(spec),
    }


def _existing_employer(spec: DemoEmployer, world: _World) -> Employer | None:
    """The demo accounts' companies (``rafidain-build``, ``erbil-digital``) get their company profile, as the
    employment office records it, on the institution they already have."""
    institution = Institution.objects.filter(code=spec.key).first()
    if institution is None:
        return None
    data = _employer_data(spec, world)
    registered_by = User.objects.filter(institution=institution, role=Role.EMPLOYER).order_by("pk").first()
    employer = Employer.objects.create(
        institution=institution,
        sector_id=spec.sector,
        size=spec.size,
        registration_number=data["registration_number"],
        address=data["address"],
        contact_name=spec.contact,
        contact_phone=data["contact_phone"],
        contact_email=data["contact_email"],
        platform_member=spec.member,
        platform_joined_on=world.today if spec.member else None,
        status=EmployerStatus.APPROVED,
        registered_by=registered_by,
        reviewed_by=world.staff,
        reviewed_at=timezone.now(),
    )
    employer.governorates.set(Governorate.objects.filter(pk__in=spec.governorates))
    audit.record(actor=world.staff, action=AuditAction.CREATE, obj=employer)
    return employer


def _make_employer(spec: DemoEmployer, world: _World) -> Employer | None:
    if spec.how == "existing":
        return _existing_employer(spec, world)
    data = _employer_data(spec, world)
    if spec.how == "staff":
        return actions.employer_create(actor=world.staff, data=data)
    employer, _user = actions.employer_register(
        data={**data, "username": f"company.{spec.key}", "password": DEMO_PASSWORD}
    )
    if spec.how == "self":
        return actions.employer_review(actor=world.staff, employer=employer, decision=EmployerStatus.APPROVED)
    if spec.how == "rejected":
        return actions.employer_review(
            actor=world.staff, employer=employer, decision=EmployerStatus.REJECTED, note=REJECTION
        )
    return employer


def _commitments(employer: Employer, spec: DemoEmployer, world: _World) -> list[Commitment]:
    """Two or three pledges of a platform member, due by the end of next year."""
    rng = world.rng
    language = _language_of(spec)
    kinds = [CommitmentKind.JOBS, CommitmentKind.TRAINING]
    if spec.sector == "P":
        kinds = [CommitmentKind.TRAINING, CommitmentKind.INTERNSHIPS]
    elif spec.sector == "K":
        kinds = [CommitmentKind.IN_KIND, CommitmentKind.MENTORING]
    extra = [k for k in CommitmentKind if k not in kinds]
    kinds.append(rng.choice(extra))
    made = []
    for kind in kinds:
        low, high = (10, 40) if kind in (CommitmentKind.JOBS, CommitmentKind.TRAINING) else (5, 20)
        commitment = actions.commitment_add(
            actor=world.staff,
            employer=employer,
            data={
                "kind": kind,
                "quantity": rng.randint(low, high),
                "description": COMMITMENT_TEXT[kind][language],
                "due_on": date(world.today.year + 1, 12, 31).isoformat(),
            },
        )
        if kind in (CommitmentKind.MENTORING, CommitmentKind.IN_KIND):
            actions.commitment_record(
                actor=world.staff,
                commitment=commitment,
                fulfilled_by_hand=rng.randint(0, commitment.quantity // 2),
            )
        made.append(commitment)
    joined = world.today - timedelta(days=rng.randint(30, 700))
    Employer.objects.filter(pk=employer.pk).update(platform_joined_on=joined)
    return made


# --------------------------------------------------------------------------------------------------
# Offers
# --------------------------------------------------------------------------------------------------


def _allocate(specs: list[tuple[DemoEmployer, Employer]], total: int) -> list[int]:
    """How many offers each approved company posts: by size, summing to ``total`` (largest remainders)."""
    weights = [SIZE_OFFERS[spec.size] for spec, _e in specs]
    exact = [total * w / sum(weights) for w in weights]
    counts = [int(x) for x in exact]
    for index in sorted(range(len(exact)), key=lambda i: (counts[i] - exact[i], i))[: total - sum(counts)]:
        counts[index] += 1
    return counts


def _place(spec: DemoEmployer, world: _World) -> tuple[str, str | None, str]:
    """A governorate of the company, a district in it (or none: anywhere in it), urban or rural."""
    rng = world.rng
    governorate = rng.choice(spec.governorates)
    rural = rng.random() < (0.8 if spec.sector == "A" else 0.12)
    towns = URBAN_DISTRICTS.get(governorate, [])
    country = [d for d in world.districts.get(governorate, []) if d not in towns]
    if rng.random() < 0.25:
        return governorate, None, "rural" if rural else "urban"
    pool = (country or towns) if rural else (towns or country)
    return governorate, rng.choice(pool) if pool else None, "rural" if rural else "urban"


def _offer_skills(code: str, world: _World) -> list[str]:
    rng = world.rng
    related = sorted(t.code for t in world.skills.values() if code in t.isco)
    if not related:
        related = sorted(t.code for t in world.skills.values() if any(c[:3] == code[:3] for c in t.isco))
    chosen = rng.sample(related, k=min(len(related), rng.randint(1, 3))) if related else []
    if rng.random() < 0.2:
        chosen.append(rng.choice(GENERIC_SKILLS))
    return sorted({c for c in chosen if c in world.skills})


def _offer_languages(spec: DemoEmployer, governorate: str, world: _World) -> list[str]:
    rng = world.rng
    if rng.random() < 0.15:
        return []
    if governorate == "IQG09" and rng.random() < 0.5:
        languages = ["kmr"]
    elif governorate in KURDISTAN:
        languages = ["ckb"] if rng.random() < 0.6 else ["ckb", "ar"]
    else:
        languages = ["ar"]
    if spec.sector in ("J", "M") or (spec.sector == "I" and governorate in KURDISTAN):
        languages.append("en")
    if rng.random() < 0.05:
        languages.append(rng.choice(["de", "tr", "en"]))
    return sorted(set(languages))


def _title_language(spec: DemoEmployer, world: _World) -> str:
    roll = world.rng.random()
    if spec.governorates[0] in KURDISTAN:
        return "ckb" if roll < 0.5 else "ar" if roll < 0.8 else "en"
    if spec.sector in ("J", "M"):
        return "en" if roll < 0.5 else "ar"
    return "ar" if roll < 0.9 else "en"


def _education(code: str) -> int | None:
    return {"1": 6, "2": 6, "3": 5, "4": 3}.get(code[0])


def _offer_data(
    spec: DemoEmployer, world: _World, commitments: dict[str, Commitment], *, status: str
) -> dict[str, Any]:
    rng = world.rng
    weights = (
        KIND_WEIGHTS["walk-through"]
        if spec.key == WALK_THROUGH
        else KIND_WEIGHTS.get(spec.sector, KIND_WEIGHTS["default"])
    )
    kind = rng.choices(KINDS, weights=weights)[0]
    code, *names = rng.choice(ROLES[spec.sector])
    language = _title_language(spec, world)
    role = dict(zip(("ar", "ckb", "en"), names, strict=True))[language]
    governorate, district, settlement = _place(spec, world)
    remote = kind in (OfferKind.JOB, OfferKind.INTERNSHIP) and code in (
        "2512",
        "2513",
        "2166",
        "2643",
        "4222",
    )
    remote = remote and rng.random() < 0.4
    place = _place_name(district, language) if district else ""
    place = place or _governorate_name(governorate, language)
    places = {
        OfferKind.JOB: rng.choice([1, 1, 1, 2, 2, 3, 4, 5, 8, 10]),
        OfferKind.INTERNSHIP: rng.randint(2, 6),
        OfferKind.APPRENTICESHIP: rng.randint(3, 10),
        OfferKind.TRAINING: rng.randint(10, 25),
        OfferKind.IN_KIND: rng.randint(5, 30),
    }[kind]
    if status == OfferStatus.CLOSED:
        opens = world.today - timedelta(days=rng.randint(60, 150))
        closes: date | None = world.today - timedelta(days=rng.randint(1, 30))
    else:
        opens = world.today - timedelta(days=rng.randint(0, 60))
        closes = world.today + timedelta(days=rng.randint(15, 120)) if rng.random() < 0.7 else None
    pay = {
        OfferKind.JOB: rng.randrange(450, 1500, 50),
        OfferKind.INTERNSHIP: rng.randrange(200, 400, 25),
    }.get(kind, rng.randrange(250, 500, 25))
    working_time = WorkingTime.FULL_TIME
    if kind == OfferKind.JOB:
        if spec.sector in ("I", "N", "D", "Q"):
            working_time = rng.choice([WorkingTime.FULL_TIME, WorkingTime.SHIFTS])
        elif spec.sector == "A":
            working_time = rng.choice([WorkingTime.FULL_TIME, WorkingTime.SEASONAL])
        elif rng.random() < 0.1:
            working_time = WorkingTime.PART_TIME
    elif kind in (OfferKind.TRAINING, OfferKind.INTERNSHIP):
        working_time = rng.choice([WorkingTime.FULL_TIME, WorkingTime.PART_TIME])
    commitment = commitments.get(COMMITMENT_OF_OFFER[OfferKind(kind)])
    return {
        "kind": kind,
        "title": TITLES[kind][language].format(role=role),
        "description": DESCRIPTIONS[kind][language].format(role=role, place=place),
        "conditions": CONDITIONS[kind][language].format(pay=pay),
        "occupation": code,
        "skills": _offer_skills(code, world),
        "education_min": _education(code) if kind == OfferKind.JOB else None,
        "languages": _offer_languages(spec, governorate, world),
        "governorate": governorate,
        "district": district or "",
        "settlement": settlement,
        "remote": remote,
        "working_time": working_time,
        "places": places,
        "opens_on": opens.isoformat(),
        "closes_on": closes.isoformat() if closes else "",
        "priority_categories": [rng.choice(PRIORITY)] if rng.random() < 0.12 else [],
        "commitment": str(commitment.uuid) if commitment is not None and rng.random() < 0.7 else "",
    }


def _governorate_name(pcode: str, language: str) -> str:
    return Governorate.objects.filter(pk=pcode).values_list(f"name_{language}", flat=True).first() or pcode


def _place_name(pcode: str, language: str) -> str:
    return District.objects.filter(pk=pcode).values_list(f"name_{language}", flat=True).first() or ""


def _offers(made: list[tuple[DemoEmployer, Employer, dict[str, Commitment]]], world: _World) -> int:
    """300 offers of the approved companies: most open, some drafts, some closed."""
    approved = [(spec, e) for spec, e, _c in made if e.status == EmployerStatus.APPROVED]
    commitments = {e.pk: c for _s, e, c in made}
    count = 0
    for (spec, employer), wanted in zip(approved, _allocate(approved, OFFERS_WANTED), strict=True):
        # The company's own user posts some of its offers; the employment office the others.
        own = (
            User.objects.filter(institution_id=employer.institution_id, role=Role.EMPLOYER)
            .order_by("pk")
            .first()
        )
        for _ in range(wanted):
            roll = world.rng.random()
            status = (
                OfferStatus.DRAFT if roll < 0.07 else OfferStatus.CLOSED if roll < 0.14 else OfferStatus.OPEN
            )
            data = _offer_data(spec, world, commitments[employer.pk], status=status)
            actor = own if own is not None and world.rng.random() < 0.6 else world.staff
            offer = actions.offer_create(
                actor=actor, employer=employer, data=data, publish=status != OfferStatus.DRAFT
            )
            if status == OfferStatus.CLOSED:
                actions.offer_set_status(actor=actor, offer=offer, status=OfferStatus.CLOSED)
            count += 1
    return count


# --------------------------------------------------------------------------------------------------
# Job profiles
# --------------------------------------------------------------------------------------------------


def _profiles(world: _World) -> int:
    """Job profiles for most of the case workers' job seekers with an occupation in the registry: the
    languages they speak (Arabic or Kurdish, and that of the country they came back from), skills of the
    shared vocabulary related to their occupations, how far they will go."""
    rng = world.rng
    made = 0
    for worker in world.workers:
        ids = list(
            queries.job_seekers(world.today)
            .filter(pk__in=returnees_editable_by(worker).values("pk"), job_profile__isnull=True)
            .filter(pk__in=Skill.objects.values("returnee_id"))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        occupations: dict[int, list[str]] = {}
        for returnee_id, code in (
            Skill.objects.filter(returnee_id__in=ids)
            .order_by("pk")
            .values_list("returnee_id", "occupation_id")
        ):
            occupations.setdefault(returnee_id, []).append(code)
        for returnee in Returnee.objects.filter(pk__in=ids).order_by("pk"):
            if rng.random() > 0.8:
                continue
            codes = occupations.get(returnee.pk, [])
            related = sorted(
                t.code
                for t in world.skills.values()
                if any(c[:3] == code[:3] for code in codes for c in t.isco)
            )
            skills = rng.sample(related, k=min(len(related), rng.randint(1, 3))) if related else []
            if rng.random() < 0.35:
                skills.append(rng.choice(GENERIC_SKILLS))
            kurdish = returnee.governorate_id in KURDISTAN and rng.random() < 0.8
            languages = ["ckb", "ar"] if kurdish and rng.random() < 0.5 else ["ckb"] if kurdish else ["ar"]
            abroad = LANGUAGE_OF_COUNTRY.get(returnee.country_returned_from_id or "")
            if abroad and rng.random() < 0.6:
                languages.append(abroad)
            if rng.random() < 0.25:
                languages.append("en")
            actions.profile_save(
                actor=worker,
                returnee=returnee,
                data={
                    "seeking": rng.random() < 0.95,
                    "languages": sorted(set(languages)),
                    "skills": sorted(set(skills)),
                    "mobility": rng.choices(
                        [Mobility.DISTRICT, Mobility.GOVERNORATE, Mobility.ANYWHERE], weights=[20, 55, 25]
                    )[0],
                    "available_from": (
                        world.today + timedelta(days=rng.choice([0, 0, 7, 14, 30]))
                    ).isoformat(),
                },
            )
            made += 1
    return made


# --------------------------------------------------------------------------------------------------
# Placements
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    """One demo placement: whose case, which company's offer, how far it goes."""

    worker: int  # index into world.workers
    company: str  # "rafidain" (the demo employer's offers) or "other"
    state: str  # a placement status, or "requested" (asked for by the company, still proposed)
    hired_days_ago: int = 0
    retention_recorded: bool = False


PLANS = [
    _Plan(0, "rafidain", PlacementStatus.HIRED, hired_days_ago=95),  # 3-month check overdue
    _Plan(0, "rafidain", PlacementStatus.INTERVIEW),
    _Plan(0, "rafidain", PlacementStatus.SHARED),
    _Plan(0, "rafidain", PlacementStatus.AGREED),
    _Plan(0, "rafidain", "requested"),
    _Plan(0, "other", PlacementStatus.HIRED, hired_days_ago=200, retention_recorded=True),  # 6-month overdue
    _Plan(0, "other", PlacementStatus.HIRED, hired_days_ago=80),  # 3-month check due in about ten days
    _Plan(0, "other", PlacementStatus.HIRED, hired_days_ago=20),
    _Plan(0, "other", PlacementStatus.NOT_HIRED),
    _Plan(0, "other", PlacementStatus.INTERVIEW),
    _Plan(0, "other", PlacementStatus.SHARED),
    _Plan(0, "other", PlacementStatus.PROPOSED),
    _Plan(0, "other", PlacementStatus.PROPOSED),
    _Plan(0, "other", PlacementStatus.DECLINED),
    _Plan(0, "other", PlacementStatus.WITHDRAWN),
    _Plan(1, "other", PlacementStatus.HIRED, hired_days_ago=45),
    _Plan(1, "other", PlacementStatus.SHARED),
    _Plan(1, "other", PlacementStatus.PROPOSED),
]


def _candidates(worker: User, world: _World, used: set[int]) -> Iterator[Returnee]:
    """The worker's job seekers with a job profile, in a stable order, not yet placed by the demo."""
    people = (
        queries.job_seekers(world.today)
        .filter(pk__in=returnees_editable_by(worker).values("pk"), job_profile__isnull=False)
        .filter(status__in=[CaseStatus.OPEN, CaseStatus.ACTIVE])
        .order_by("pk")
    )
    for returnee in people:
        if returnee.pk not in used:
            yield returnee


def _pick(
    plan: _Plan, world: _World, rafidain: Employer | None, used: set[int], offers_used: set[int]
) -> tuple[Returnee, Offer] | None:
    """The first of the worker's people with an offer of the wanted company among their best matches: a job,
    internship or apprenticeship no other demo placement took (one with a single place for a hire, so that
    it fills); failing that, any offer of the company."""
    worker = world.workers[plan.worker]

    def ours(offer: Offer) -> bool:
        if plan.company == "rafidain":
            return rafidain is not None and offer.employer_id == rafidain.pk
        return rafidain is None or offer.employer_id != rafidain.pk

    def wanted(offer: Offer) -> bool:
        taken = offer.pk in offers_used and plan.state != "requested"  # a company asks for more than one
        if taken or offer.kind not in (
            OfferKind.JOB,
            OfferKind.APPRENTICESHIP,
            OfferKind.INTERNSHIP,
        ):
            return False
        if plan.state == PlacementStatus.HIRED and plan.company != "rafidain":
            return offer.places - offer.filled == 1
        return True

    people = list(_candidates(worker, world, used))
    ranked = _ranked_offers(people)
    for strict in (True, False):
        for returnee in people:
            for offer in ranked.get(returnee.pk, []):
                if ours(offer) and (wanted(offer) or not strict):
                    offers_used.add(offer.pk)
                    return returnee, offer
    return None


def _ranked_offers(people: list[Returnee]) -> dict[int, list[Offer]]:
    """Each person's open offers by the matching rules, best first; ties by the offer's key, so that every
    run of the demo chooses alike (the live ranking breaks ties by UUID, which differ from run to run)."""
    offers = [o for o in queries.open_offers().select_related("employer") if o.filled < o.places]
    facts = queries.offer_facts(offers)
    persons = queries.person_facts([r.pk for r in people])
    out: dict[int, list[Offer]] = {}
    for returnee in people:
        person = persons.get(returnee.pk)
        if person is None:
            continue
        scored = [(m.score, o) for o in offers if (m := rules.match(person, facts[o.pk])) is not None]
        scored.sort(key=lambda item: (-item[0], item[1].pk))
        out[returnee.pk] = [o for _score, o in scored[:30]]
    return out


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _place_one(
    plan: _Plan, world: _World, rafidain: Employer | None, used: set[int], offers_used: set[int]
) -> Placement | None:
    """One placement taken as far as the plan says, each step by the side whose step it is: the person's
    case worker (proposal, the person's answer, sharing) and the company (interview, hiring), which for a
    company without an account on Awda is the employment office."""
    picked = _pick(plan, world, rafidain, used, offers_used)
    if picked is None:
        return None
    returnee, offer = picked
    used.add(returnee.pk)
    if plan.state == "requested":
        return _requested(offer, world)
    worker = world.workers[plan.worker]
    company_side = world.company if plan.company == "rafidain" and world.company is not None else world.staff
    s = PlacementStatus
    goal = None
    if plan.state == s.HIRED:
        goal = (
            PlanGoal.objects.filter(plan__returnee=returnee, dimension=Dimension.ECONOMIC)
            .order_by("pk")
            .first()
        )
    placement = actions.placement_propose(
        actor=worker,
        offer=offer,
        returnee=returnee,
        plan_goal=goal,
        note="Suits the person's experience; they asked for work near home.",
    )
    if plan.state == s.DECLINED:
        return actions.placement_agree(
            actor=worker,
            placement=placement,
            agreed=False,
            method="verbal",
            note="Prefers to wait for other work.",
        )
    if plan.state == s.PROPOSED:
        return placement
    placement = actions.placement_agree(actor=worker, placement=placement, agreed=True, method="verbal")
    if plan.state == s.WITHDRAWN:
        return actions.placement_withdraw(
            actor=worker, placement=placement, note="The person found seasonal work with a relative."
        )
    if plan.state == s.AGREED:
        return placement
    placement = actions.placement_share(actor=worker, placement=placement)
    if plan.state == s.SHARED:
        return placement
    start = world.today - timedelta(days=plan.hired_days_ago)
    interviews: dict[str, datetime] = {
        s.INTERVIEW: _at(world.today + timedelta(days=3)),
        s.NOT_HIRED: _at(world.today - timedelta(days=10)),
        s.HIRED: _at(start - timedelta(days=7)),
    }
    when = interviews[plan.state]
    placement = actions.placement_interview(actor=company_side, placement=placement, at=when)
    if plan.state == s.NOT_HIRED:
        return actions.placement_not_hire(
            actor=company_side, placement=placement, note="We chose a candidate with a driving licence."
        )
    if plan.state == s.INTERVIEW:
        return placement
    placement = actions.placement_hire(
        actor=company_side, placement=placement, start=start, note="Starts on a three-month probation."
    )
    if plan.retention_recorded:
        check = RetentionCheck.objects.filter(placement=placement).order_by("months").first()
        if check is not None:
            actions.retention_record(
                actor=worker,
                check=check,
                result=RetentionResult.EMPLOYED,
                note="Called the person: happy in the job, wants more hours.",
            )
    return placement


def _requested(offer: Offer, world: _World) -> Placement | None:
    """The demo company asks for an anonymous candidate of its offer (one the Baghdad case worker follows,
    who then asks the person)."""
    actor = world.company or world.staff
    editable = set(returnees_editable_by(world.workers[0]).values_list("pk", flat=True))
    found = queries.candidates_for_offer(offer, limit=200)
    for candidate in sorted(found, key=lambda c: (-c.match.score, c.returnee_id)):
        if (
            candidate.returnee_id in editable
            and not Placement.objects.filter(offer=offer, returnee_id=candidate.returnee_id).exists()
        ):
            return actions.placement_request(
                actor=actor,
                offer=offer,
                candidate=candidate.key,
                note="Experienced; can the person start soon?",
            )
    return None


def _placements(world: _World) -> int:
    rafidain = Employer.objects.filter(institution__code=WALK_THROUGH).first()
    used: set[int] = set()
    offers_used: set[int] = set()
    made = 0
    for plan in PLANS:
        if plan.worker >= len(world.workers):
            continue
        if _place_one(plan, world, rafidain, used, offers_used) is not None:
            made += 1
    return made


# --------------------------------------------------------------------------------------------------
# All of it
# --------------------------------------------------------------------------------------------------


def demo_jobs(*, seed: int = SEED, today: date | None = None) -> str:
    """Create the job market's demo data once; says what it did."""
    demo_jobs_account()
    if Employer.objects.filter(institution__code=WALK_THROUGH).exists():
        return "already there"
    staff = User.objects.filter(username=JOBS_USER[0]).first()
    if staff is None or not Institution.objects.filter(code=WALK_THROUGH).exists():
        return "no demo accounts"
    today = today or timezone.localdate()
    districts: dict[str, list[str]] = {}
    for pcode, governorate in District.objects.order_by("pcode").values_list("pcode", "governorate_id"):
        districts.setdefault(governorate, []).append(pcode)
    workers = [
        u for u in (User.objects.filter(username=n).first() for n in ("caseworker", "caseworker.erbil")) if u
    ]
    world = _World(
        rng=random.Random(seed),
        today=today,
        staff=staff,
        company=User.objects.filter(username="employer", institution__code=WALK_THROUGH).first(),
        workers=workers,
        skills={t.code: t for t in SkillTerm.objects.order_by("code")},
        districts=districts,
    )
    with transaction.atomic():
        made: list[tuple[DemoEmployer, Employer, dict[str, Commitment]]] = []
        for spec in EMPLOYERS:
            employer = _make_employer(spec, world)
            if employer is None:
                continue
            pledges = _commitments(employer, spec, world) if spec.member else []
            made.append((spec, employer, {c.kind: c for c in pledges}))
        offers = _offers(made, world)
        profiles = _profiles(world)
        placements = _placements(world)
    approved = sum(1 for _s, e, _c in made if e.status == EmployerStatus.APPROVED)
    return (
        f"{len(made)} companies ({approved} approved), {offers} offers, {profiles} job profiles, "
        f"{placements} placements"
    )
