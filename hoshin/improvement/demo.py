"""A year of nonconformities at the demo manufacturer (see :mod:`hoshin.core.demo`).

Each one is played through the real workflow on the days it would have happened:
reported by the person who found it, contained, investigated with a 5-whys chain and
fishbone notes, corrective actions planned and done with evidence, verified and
signed off by someone other than its owner. Older ones are mostly closed; recent
ones sit in every open state, some of them overdue. A few are voided duplicates and
two failed their first verification.
"""

# The demo text is written as people write: en dashes, multiplication signs.
# ruff: noqa: RUF001

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType

from hoshin.core.actor import acting_as
from hoshin.core.demo import Demo, dated, quick_signatures
from hoshin.core.models import Action, ActionStatus, User
from hoshin.improvement.models import DUE_DAYS, CostItem, Nonconformity, Severity
from hoshin.improvement.workflow import WORKFLOW

# How likely each root-cause category is where a scenario allows several. Most
# scenarios can only be method or people (as in most plants), so the others are
# weighted up: the Pareto comes out led by method and people, with a long tail.
CATEGORY_WEIGHTS = {
    "method": 18,
    "people": 22,
    "machine": 30,
    "measurement": 30,
    "material": 30,
    "environment": 16,
}
SOURCE_WEIGHTS = {
    "customer_complaint": 22,
    "process_monitoring": 22,
    "employee_report": 20,
    "internal_audit": 18,
    "supplier": 12,
    "external_audit": 6,
}
# Where an open state is empty by chance, a nonconformity about this old is put in it.
PREFERRED_AGE = {
    "reported": 2,
    "contained": 6,
    "investigated": 15,
    "actions": 35,
    "verification": 50,
    "closed": 200,
}

# code, description, process, unit cost (EUR), drawing revision
PARTS = [
    ("H-220", "hydraulic valve housing, 316 stainless", "P-04", "38.50", "E"),
    ("SH-118", "drive shaft, 42CrMo4", "P-04", "21.80", "C"),
    ("AB-45", "actuator bracket, 6082-T6 aluminium", "P-04", "9.40", "B"),
    ("FL-310", "flange adaptor DN50, 304 stainless", "P-04", "17.20", "D"),
    ("MN-75", "4-port manifold block, 6061 aluminium", "P-04", "64.00", "F"),
    ("CV-25", "check valve body, brass CW614N", "P-04", "7.90", "C"),
    ("VA-900", "2-way valve assembly", "P-05", "212.00", "G"),
    ("AC-12", "double-acting pneumatic actuator", "P-05", "148.00", "D"),
    ("AC-16", "spring-return pneumatic actuator", "P-05", "176.00", "B"),
]
MACHINED = [p for p in PARTS if p[2] == "P-04"]
ASSEMBLED = [p for p in PARTS if p[2] == "P-05"]

# name, currency of their credit notes and freight
CUSTOMERS = [
    ("Aerodyn Controls GmbH", "EUR"),
    ("Nordhavn Marine AS", "EUR"),
    ("Celtic MedTech Ltd", "EUR"),
    ("Vantor Automotive SAS", "EUR"),
    ("Baxendale Pumps plc", "GBP"),
    ("Ridgeline Fluid Power Inc.", "USD"),
]
# name, currency, what they supply
SUPPLIERS = [
    ("Kaveri Forgings Pvt Ltd", "USD", "forged 316 housing blanks"),
    ("Midlands Bar Stock Ltd", "GBP", "42CrMo4 round bar"),
    ("Anodica Surface Finishing", "EUR", "hard anodising of aluminium parts"),
    ("Polyseal O-Rings BV", "EUR", "FKM O-rings"),
    ("Hallam Fasteners Ltd", "GBP", "A4-70 socket cap screws"),
    ("Rheinmetall Stahlhandel GmbH", "EUR", "304 and 316 stainless bar"),
]
MACHINES = [
    "Mazak QT-250 lathe (M07)",
    "Mazak Integrex i-200 (M09)",
    "DMG Mori NLX 2500 lathe (M11)",
    "Haas VF-4 mill (M14)",
    "Hermle C 32 5-axis (M16)",
]
GAUGES = [
    "bore gauge BG-031",
    "thread plug gauge TPG-M12-07",
    "micrometer MM-112",
    "height gauge HG-014",
    "torque wrench TW-22",
    "pressure transducer PT-03",
]
FEATURES = [
    "Ø22H7 bore",
    "Ø12.000/11.982 journal",
    "overall length 84.00 ±0.05",
    "true position of the M12 ports",
    "face flatness 0.02",
]


@dataclass(frozen=True)
class Cause:
    category: str
    whys: tuple[str, ...]
    root_cause: str
    # description, owner's username, evidence of completion
    actions: tuple[tuple[str, str, str], ...]
    verification: str


@dataclass(frozen=True)
class Scenario:
    source: str
    process: str
    title: str
    description: str
    containment: str
    correction: str
    causes: tuple[Cause, ...]
    fishbone: dict[str, str]
    detectors: tuple[str, ...]
    severity: tuple[int, int, int] = (5, 4, 1)  # weights of minor, major, critical
    output: bool = False  # nonconforming product (8.7): quantities and a disposition
    dispositions: tuple[str, ...] = ()
    costs: tuple[str, ...] = ()  # cost categories that apply
    parts: str = "machined"  # machined | assembled | any | material (bought-in)
    suppliers: tuple[str, ...] = ()  # the suppliers it fits (default: any)
    containers: tuple[str, ...] = ()


def C(
    category: str,
    whys: list[str],
    root_cause: str,
    actions: list[tuple[str, str, str]],
    verification: str,
) -> Cause:
    return Cause(category, tuple(whys), root_cause, tuple(actions), verification)


SCENARIOS: list[Scenario] = [
    # --- customer complaints -----------------------------------------------------------
    Scenario(
        source="customer_complaint",
        process="P-04",
        title="Burrs in cross-drilled ports of {pn} – {customer}",
        description=(
            "{customer} reported burrs at the intersection of the cross-drilled ports of "
            "{pn} {part}, lot {lot}, found at their goods-in (complaint {cc}). {bad} of {qty} "
            "parts rejected; loose burrs could enter the customer's hydraulic circuit."
        ),
        containment=(
            "Finished stock and WIP of {pn} quarantined with red tags and inspected 100% "
            "under 10× magnification; customer informed within 24 h and replacement parts "
            "sent by express from cleared stock."
        ),
        correction="Returned parts deburred with a flexible hone, washed and re-inspected 100%.",
        causes=(
            C(
                "method",
                [
                    "Burrs were left where the cross-drilled ports meet the main bore.",
                    "The cross-hole deburr was not done on this lot.",
                    "Work instruction {wi} does not include the cross-hole deburr.",
                    "The deburr was added on drawing rev {rev} but {wi} was not updated.",
                    "The change procedure QP-07 has no step to review affected work instructions.",
                ],
                "QP-07 (engineering change) has no step to review and update the work "
                "instructions a drawing change affects; {wi} missed the cross-hole deburr "
                "added in rev {rev}.",
                [
                    (
                        "Add the cross-hole deburr and a 10× visual check to {wi}",
                        "oadeyemi",
                        "{wi} rev {rev2} released; both shifts briefed (training log TL-{n}).",
                    ),
                    (
                        "Add “work instructions affected” to the change form in QP-07",
                        "gevans",
                        "QP-07 rev 9 and change form F-07-2 released.",
                    ),
                ],
                "Review final inspection and {customer}'s goods-in results for the next 5 lots "
                "of {pn}.",
            ),
            C(
                "people",
                [
                    "Burrs were left at the cross-drilled ports.",
                    "The operator did not deburr the cross-holes.",
                    "The operator was in his second week and not yet trained on {pn}.",
                    "Untrained operators are put on critical parts when the shift is short.",
                ],
                "Shift planning does not check the skills matrix before assigning critical "
                "parts; an operator not yet signed off on {pn} ran the lot.",
                [
                    (
                        "Show the skills matrix on the shift planning board and check it at "
                        "every changeover",
                        "dquinn",
                        "Planning board updated; checklist SP-3 in use since week {wk}.",
                    ),
                    (
                        "Train and sign off the two new operators on {pn}",
                        "aferreira",
                        "Training records TR-{n} and TR-{n2} signed by the shift lead.",
                    ),
                ],
                "Audit the shift plan against the skills matrix weekly for 6 weeks; no burr "
                "complaints on {pn} for 3 months.",
            ),
            C(
                "machine",
                [
                    "Burrs were left at the cross-drilled ports.",
                    "The back-deburring tool no longer cut cleanly.",
                    "The tool was worn well past its normal life.",
                    "No tool life is set for the deburring tool in the machine's tool table.",
                ],
                "No tool life monitoring for the back-deburring tool on {machine}; the worn "
                "tool left burrs.",
                [
                    (
                        "Set tool life (400 parts) for the deburr tool on {machine}",
                        "employee",
                        "Tool table screenshot attached; life counter active.",
                    ),
                    (
                        "Review tool life settings of all deburr tools in the cell",
                        "oadeyemi",
                        "Review sheet TL-R-{n}: 7 tools, 3 limits added.",
                    ),
                ],
                "Check the tool life counters at the weekly cell review for a month.",
            ),
        ),
        fishbone={
            "method": "Cross-hole deburr not in the work instruction after the drawing change.",
            "people": "New operator on the second shift.",
            "machine": "Deburring tool condition not monitored.",
            "measurement": "Final inspection samples 5 parts; burrs inside ports hard to see.",
        },
        detectors=("lfitzgerald", "glynch"),
        severity=(2, 6, 2),
        output=True,
        dispositions=("rework", "rework", "scrap"),
        costs=("rework", "freight", "inspection"),
        containers=("emccarthy", "dquinn", "owner"),
    ),
    Scenario(
        source="customer_complaint",
        process="P-04",
        title="{feature} out of tolerance on {pn} – {customer}",
        description=(
            "{customer} measured the {feature} of {pn} {part} (lot {lot}) out of tolerance "
            "and rejected {bad} of {qty} parts (complaint {cc}). Worst part 0.018 mm over "
            "the upper limit."
        ),
        containment=(
            "Remaining stock of lot {lot} and the two following lots held and measured 100% "
            "on the CMM; conforming parts released, nonconforming ones segregated. Customer "
            "sorted their stock with our inspector on site."
        ),
        correction="Nonconforming parts scrapped; replacement lot machined and CMM-checked.",
        causes=(
            C(
                "measurement",
                [
                    "Parts out of tolerance were passed at in-process inspection.",
                    "The {gauge} read 0.015 mm low.",
                    "The gauge had been set with the wrong setting ring.",
                    "Setting rings of two sizes are kept in the same unlabelled drawer.",
                ],
                "{gauge} was zeroed on the wrong setting ring: setting rings are not "
                "identified and stored per gauge.",
                [
                    (
                        "Engrave and store setting rings with their gauges in shadow boxes",
                        "akhalil",
                        "Photo of the shadow boxes attached; register CAL-R updated.",
                    ),
                    (
                        "Add a setting-ring check to the first-off inspection sheet",
                        "emccarthy",
                        "Inspection sheet F-06-4 rev C released.",
                    ),
                ],
                "Gauge R&R on {gauge} and CMM comparison of 30 parts over the next 3 lots.",
            ),
            C(
                "machine",
                [
                    "The {feature} drifted out of tolerance during the run.",
                    "The spindle grew with temperature after the weekend restart.",
                    "The machine was not warmed up before production.",
                    "The warm-up cycle is not part of the Monday start-up routine.",
                ],
                "{machine} is started cold after weekends without its warm-up cycle; thermal "
                "growth moved the {feature}.",
                [
                    (
                        "Add the 20-minute warm-up program to the start-up checklist",
                        "bkavanagh",
                        "Start-up checklist MC-01 rev D posted at each machine.",
                    ),
                ],
                "Compare first-off and hourly measurements on Mondays for 6 weeks.",
            ),
            C(
                "method",
                [
                    "The drift was not caught before 40 parts were made.",
                    "The in-process check is every 50 parts.",
                    "The control plan frequency was copied from a less critical part.",
                    "Control plans are not reviewed against the customer's key characteristics.",
                ],
                "The control plan for {pn} checks the {feature} only every 50 parts; key "
                "characteristics were not used to set frequencies.",
                [
                    (
                        "Raise the check frequency for the {feature} to every 10 parts",
                        "oadeyemi",
                        "Control plan CP-{pn} rev 4 released.",
                    ),
                    (
                        "Review control plans of all parts for {customer} against their key "
                        "characteristics",
                        "cdunne",
                        "Review record QR-{n}: 11 control plans, 4 changed.",
                    ),
                ],
                "No dimensional complaints from {customer} in the next 3 months.",
            ),
        ),
        fishbone={
            "measurement": "Setting ring identification; gauge read low.",
            "machine": "Thermal growth after cold start.",
            "method": "Check frequency too low for a key characteristic.",
            "environment": "Workshop at 14 °C on Monday mornings in winter.",
        },
        detectors=("lfitzgerald", "glynch"),
        severity=(2, 6, 2),
        output=True,
        dispositions=("scrap", "rework", "concession"),
        costs=("scrap", "inspection", "freight"),
        containers=("emccarthy", "akhalil"),
    ),
    Scenario(
        source="customer_complaint",
        process="P-01",
        title="Late delivery of PO {po} to {customer}",
        description=(
            "{customer} complained that order {po} ({qty} × {pn}) arrived 9 working days "
            "after the confirmed date, stopping their assembly line for a shift (complaint "
            "{cc})."
        ),
        containment=(
            "Remaining quantity expedited on overtime and shipped by air freight; open "
            "orders for {customer} reviewed for further risk and new dates confirmed."
        ),
        correction="Customer given a recovery plan and a revised schedule for open orders.",
        causes=(
            C(
                "method",
                [
                    "The order shipped 9 days late.",
                    "The delivery date was confirmed without checking machine capacity.",
                    "Contract review checks material lead time only.",
                    "The order-entry checklist was written before the second lathe cell "
                    "became the bottleneck.",
                ],
                "Contract review (QP-02) confirms dates against material lead time only, "
                "not against capacity of the bottleneck cell.",
                [
                    (
                        "Add a capacity check of the bottleneck cell to contract review",
                        "noconnor",
                        "QP-02 rev 6 released; capacity sheet in the order-entry template.",
                    ),
                    (
                        "Weekly S&OP meeting between sales, planning and production",
                        "owner",
                        "Minutes of the first 4 meetings attached.",
                    ),
                ],
                "On-time delivery to {customer} above 95% for 3 consecutive months.",
            ),
            C(
                "material",
                [
                    "The order shipped late.",
                    "Bar stock arrived 12 days after the promised date.",
                    "{supplier} had a furnace breakdown and did not tell us.",
                    "We have no agreement asking suppliers to warn of delays.",
                ],
                "Purchase terms do not require suppliers to warn of delivery delays; "
                "{supplier}'s late material was found on the day it was due.",
                [
                    (
                        "Add delay notification to the supplier quality agreement",
                        "sbyrne",
                        "SQA rev 3 signed by the top 10 suppliers.",
                    ),
                    (
                        "Expedite report of overdue purchase orders every Monday",
                        "rhealy",
                        "First 6 weekly reports filed.",
                    ),
                ],
                "Track late material deliveries for 3 months; none unannounced.",
            ),
        ),
        fishbone={
            "method": "Contract review ignores capacity.",
            "material": "Late bar stock from the supplier.",
            "people": "Planner covering two roles during holidays.",
            "machine": "Lathe M11 down 3 days for a spindle repair.",
        },
        detectors=("lfitzgerald", "glynch", "noconnor"),
        severity=(3, 6, 1),
        costs=("freight", "other"),
        parts="any",
        suppliers=(
            "Kaveri Forgings Pvt Ltd",
            "Midlands Bar Stock Ltd",
            "Rheinmetall Stahlhandel GmbH",
        ),
        containers=("lfitzgerald", "sbyrne"),
    ),
    Scenario(
        source="customer_complaint",
        process="P-07",
        title="Wrong labels on {pn} shipment to {customer}",
        description=(
            "{customer} received boxes of {pn} {part} labelled with the part number and lot "
            "of another order (complaint {cc}). {bad} boxes of {qty} parts affected; parts "
            "themselves correct."
        ),
        containment=(
            "All {pn} stock in dispatch relabelled after a 100% check of label against "
            "traveller; customer sent correct labels and asked to quarantine the boxes."
        ),
        correction="Our driver collected and relabelled the boxes at the customer's site.",
        causes=(
            C(
                "method",
                [
                    "Boxes carried the labels of another order.",
                    "Labels for two orders were printed together and mixed up.",
                    "Labels are printed in batches at the start of the shift, not per box.",
                    "The label printer is far from the packing bench.",
                ],
                "Labels are printed in batches away from the packing bench and applied "
                "later; nothing ties the label to the box at packing.",
                [
                    (
                        "Print labels at the packing bench when the traveller is scanned",
                        "pnolan",
                        "Printer moved; scan-to-print live since week {wk}.",
                    ),
                    (
                        "Add a label-to-traveller check to the dispatch checklist",
                        "sbyrne",
                        "Dispatch checklist WD-02 rev E released.",
                    ),
                ],
                "Audit 20 shipments a month for 3 months: label, traveller and contents agree.",
            ),
            C(
                "people",
                [
                    "Boxes were labelled with the wrong order's labels.",
                    "The packer picked up labels from the neighbouring bench.",
                    "Two packers worked on similar orders side by side at the end of the month.",
                ],
                "Packers worked two similar orders side by side at month end without "
                "separating them; the labels were swapped.",
                [
                    (
                        "One order per packing bench; clear the bench before the next",
                        "pnolan",
                        "Rule added to WD-02; briefing signed by all packers.",
                    ),
                ],
                "Audit month-end shipments for 3 months.",
            ),
        ),
        fishbone={
            "method": "Batch label printing.",
            "people": "Month-end rush, two packers side by side.",
            "environment": "Packing area cramped; benches 1 m apart.",
        },
        detectors=("lfitzgerald", "glynch"),
        severity=(5, 4, 1),
        output=True,
        dispositions=("rework",),
        costs=("rework", "freight"),
        parts="any",
        containers=("pnolan", "sbyrne"),
    ),
    # --- suppliers ---------------------------------------------------------------------
    Scenario(
        source="supplier",
        process="P-03",
        title="Material certificate missing for {material} from {supplier}",
        description=(
            "Delivery of {material} from {supplier} (PO {po}, heat {lot}) arrived without the "
            "EN 10204 3.1 certificate required by the purchase order. {qty} pieces received."
        ),
        containment=(
            "Delivery held in the goods-in quarantine cage; supplier asked for the "
            "certificate. No material issued to production."
        ),
        correction="Certificate received {n3} days later, checked against the order and filed.",
        causes=(
            C(
                "method",
                [
                    "The delivery arrived without its 3.1 certificate.",
                    "The supplier's dispatch did not know a certificate was needed.",
                    "The certificate requirement was in our PO terms, not on the order line.",
                    "The PO template puts quality requirements in the general terms only.",
                ],
                "Quality requirements (3.1 certificates) are flowed down only in the general "
                "terms, not on the purchase order line the supplier's dispatch reads.",
                [
                    (
                        "Print quality requirements on each purchase order line",
                        "rhealy",
                        "ERP PO layout changed; sample PO {po} attached.",
                    ),
                    (
                        "Ask key suppliers to confirm the certificate requirement",
                        "riyer",
                        "Confirmations from 8 suppliers filed.",
                    ),
                ],
                "Check certificates of all deliveries from {supplier} for 3 months.",
            ),
            C(
                "people",
                [
                    "The delivery was booked in without the certificate.",
                    "Goods-in did not notice the certificate was missing.",
                    "The goods-in clerk was covering from the warehouse and not trained.",
                ],
                "Goods-in cover staff are not trained on the certificate check.",
                [
                    (
                        "Train warehouse cover staff on goods-in inspection GI-01",
                        "aferreira",
                        "Training records for 4 people.",
                    ),
                ],
                "Audit goods-in bookings monthly for 3 months.",
            ),
        ),
        fishbone={
            "method": "Requirement not on the order line.",
            "people": "Cover staff at goods-in.",
            "material": "Supplier changed its certificate system.",
        },
        detectors=("riyer", "emccarthy", "akhalil"),
        severity=(6, 3, 1),
        output=True,
        dispositions=("concession", "return_to_supplier"),
        costs=("inspection", "other"),
        parts="material",
        suppliers=(
            "Kaveri Forgings Pvt Ltd",
            "Midlands Bar Stock Ltd",
            "Hallam Fasteners Ltd",
            "Rheinmetall Stahlhandel GmbH",
            "Polyseal O-Rings BV",
        ),
        containers=("pnolan", "emccarthy"),
    ),
    Scenario(
        source="supplier",
        process="P-03",
        title="Anodising thickness below specification on {pn} from {supplier}",
        description=(
            "Goods-in inspection of {pn} {part} back from {supplier} (PO {po}, lot {lot}) "
            "found hard anodising 32–38 µm against 50 ±10 µm. {bad} of {qty} parts below "
            "minimum."
        ),
        containment="Lot rejected and held; remaining parts at the supplier stopped.",
        correction="Parts stripped and re-anodised by the supplier at their cost.",
        causes=(
            C(
                "material",
                [
                    "The coating was too thin.",
                    "The supplier's bath was run at the wrong current density.",
                    "Their rectifier was replaced and not verified.",
                    "{supplier} has no process validation after equipment changes.",
                ],
                "{supplier} changed a rectifier without validating the anodising process.",
                [
                    (
                        "Supplier corrective action request SCAR-{n} to {supplier}",
                        "riyer",
                        "8D report from the supplier accepted.",
                    ),
                    (
                        "Add coating thickness to goods-in sampling plan for {supplier}",
                        "emccarthy",
                        "Sampling plan GI-04 rev B.",
                    ),
                ],
                "Coating thickness on the next 5 lots from {supplier} within specification.",
            ),
            C(
                "method",
                [
                    "The coating was thinner than required.",
                    "The supplier worked to 25 µm.",
                    "Our PO quoted the old drawing revision.",
                    "Buyers copy the drawing revision from the last order.",
                ],
                "Purchase orders copy the drawing revision from the previous order; "
                "{supplier} worked to a superseded revision.",
                [
                    (
                        "Link the PO drawing revision to the released drawing in the ERP",
                        "sbyrne",
                        "ERP change request ERP-{n} live.",
                    ),
                ],
                "Check revisions on all subcontract POs for 2 months.",
            ),
        ),
        fishbone={
            "material": "Supplier's process changed.",
            "method": "Revision on the PO copied from the last order.",
            "measurement": "We checked thickness only at first-article.",
        },
        detectors=("emccarthy", "akhalil", "riyer"),
        severity=(3, 6, 1),
        output=True,
        dispositions=("return_to_supplier",),
        costs=("inspection", "freight"),
        suppliers=("Anodica Surface Finishing",),
        containers=("emccarthy",),
    ),
    # --- process monitoring ------------------------------------------------------------
    Scenario(
        source="process_monitoring",
        process="P-04",
        title="SPC out of control: {feature} on {pn}, {machine}",
        description=(
            "X-bar/R chart for the {feature} of {pn} on {machine}: {spc}. Parts made since "
            "the last in-control sample: {qty}; {bad} measured outside the tolerance."
        ),
        containment=(
            "Machine stopped; parts since the last in-control subgroup segregated and "
            "measured 100%. Production restarted after the offset was corrected and 5 "
            "consecutive parts were in control."
        ),
        correction="Parts outside tolerance reworked where stock allowed, the rest scrapped.",
        causes=(
            C(
                "machine",
                [
                    "The {feature} drifted upwards.",
                    "The finishing insert was worn.",
                    "Insert changes are done by feel, not by count.",
                    "No tool life limit is set on {machine}.",
                ],
                "No tool life limit for the finishing insert on {machine}; the insert was "
                "used until the {feature} drifted.",
                [
                    (
                        "Set tool life limits for all finishing inserts on {machine}",
                        "employee",
                        "Tool table updated; list attached.",
                    ),
                ],
                "SPC chart in control for 6 weeks; Cpk above 1.33.",
            ),
            C(
                "method",
                [
                    "The process went out of control without a reaction.",
                    "The operator saw the trend but did not stop.",
                    "The reaction plan only covers points outside the limits, not trends.",
                ],
                "The SPC reaction plan covers points beyond the control limits only, not "
                "runs and trends.",
                [
                    (
                        "Add the Western Electric run rules to reaction plan RP-04",
                        "vsingh",
                        "RP-04 rev C released; operators briefed.",
                    ),
                    (
                        "Train operators of the cell on reading control charts",
                        "vsingh",
                        "Training records for 9 operators.",
                    ),
                ],
                "Review all SPC charts of the cell weekly for 6 weeks.",
            ),
            C(
                "environment",
                [
                    "The {feature} shifted in the afternoon.",
                    "The shop temperature rose by 8 °C.",
                    "The roller door next to the cell is left open for deliveries.",
                ],
                "Shop temperature swings from the open roller door next to the cell move "
                "the {feature} of {pn}.",
                [
                    (
                        "Fit a fast-acting door and a temperature logger in the cell",
                        "bkavanagh",
                        "Door installed; logger data for 4 weeks attached.",
                    ),
                ],
                "Temperature within ±2 °C and chart in control for 6 weeks.",
            ),
            C(
                "measurement",
                [
                    "The chart showed a shift that the CMM did not confirm.",
                    "The in-process gauge {gauge} was drifting.",
                    "The gauge had been dropped and not re-checked.",
                ],
                "A dropped gauge ({gauge}) was not re-checked before use.",
                [
                    (
                        "Add “dropped gauge” rule and quarantine box at each cell",
                        "akhalil",
                        "Boxes in place; calibration procedure CAL-01 rev 5.",
                    ),
                ],
                "MSA repeated on {gauge}; %GRR below 10%.",
            ),
        ),
        fishbone={
            "machine": "Insert wear; no tool life.",
            "method": "Reaction plan misses trends.",
            "environment": "Temperature swings in the afternoon.",
            "measurement": "Gauge condition.",
            "people": "Operator unsure when to stop.",
        },
        detectors=("vsingh", "employee", "dquinn", "akhalil"),
        severity=(5, 4, 1),
        output=True,
        dispositions=("rework", "scrap", "concession"),
        costs=("scrap", "rework"),
        containers=("dquinn", "employee", "kwisniewska"),
    ),
    Scenario(
        source="process_monitoring",
        process="P-05",
        title="Leak test failures above target on {pn}",
        description=(
            "Leak test failures on {pn} {part} rose to {pct}% this week (target below 1.5%). "
            "{bad} of {qty} assemblies failed the 10 bar air decay test."
        ),
        containment=(
            "Failed assemblies held and tagged; the test rig was checked against the leak "
            "master, and the O-ring batch in use set aside."
        ),
        correction="Failed assemblies stripped, new seals fitted and retested.",
        causes=(
            C(
                "material",
                [
                    "Assemblies leaked at the piston seal.",
                    "O-rings from the new batch were undersized.",
                    "{supplier} changed its compound without notice.",
                ],
                "O-rings from {supplier} were undersized after an unannounced compound change.",
                [
                    (
                        "SCAR to {supplier}; require change notification",
                        "riyer",
                        "Supplier 8D accepted; SQA clause added.",
                    ),
                    (
                        "Measure O-ring cross-section at goods-in for each batch",
                        "emccarthy",
                        "GI-06 updated; first 5 batches measured.",
                    ),
                ],
                "Leak test failure rate below 1.5% for 8 weeks.",
            ),
            C(
                "method",
                [
                    "Piston seals were damaged on assembly.",
                    "Seals were fitted dry.",
                    "The lubrication step is not in the assembly traveller.",
                ],
                "Seal lubrication is missing from the assembly traveller; seals were nicked "
                "when fitted dry.",
                [
                    (
                        "Add seal lubrication (grease type and amount) to the traveller",
                        "pkowalski",
                        "Traveller AT-{pn} rev H released.",
                    ),
                    (
                        "Provide grease dispensers at each assembly station",
                        "jlis",
                        "Dispensers installed at 4 stations.",
                    ),
                ],
                "Leak test failure rate below 1.5% for 8 weeks.",
            ),
            C(
                "people",
                [
                    "Seals were twisted in the groove.",
                    "New assemblers used a screwdriver instead of the fitting cone.",
                    "They had not been shown the fitting cone during induction.",
                ],
                "Induction of new assemblers does not cover seal fitting tools.",
                [
                    (
                        "Add seal fitting to assembly induction, with a practical sign-off",
                        "aferreira",
                        "Induction pack IND-05 rev B; 6 sign-offs.",
                    ),
                ],
                "Failure rate by assembler tracked for 6 weeks.",
            ),
        ),
        fishbone={
            "material": "O-ring batch dimensions.",
            "method": "Lubrication not specified.",
            "people": "New assemblers.",
            "measurement": "Rig leak master checked: OK.",
        },
        detectors=("mhennessy", "emccarthy", "jlis"),
        severity=(4, 5, 1),
        output=True,
        dispositions=("rework", "repair"),
        costs=("rework", "scrap"),
        parts="assembled",
        suppliers=("Polyseal O-Rings BV",),
        containers=("mhennessy", "pkowalski"),
    ),
    # --- employee reports --------------------------------------------------------------
    Scenario(
        source="employee_report",
        process="P-09",
        title="{gauge} in use past its calibration due date",
        description=(
            "{gauge} at {machine} was found in use with a calibration label 5 weeks past due. "
            "It had been used for in-process checks of {pn} since then ({qty} parts)."
        ),
        containment=(
            "Gauge withdrawn and checked against the reference: within tolerance, so parts "
            "measured with it are not affected. Other gauges at the cell checked: all in date."
        ),
        correction="Gauge recalibrated and returned to the cell.",
        causes=(
            C(
                "method",
                [
                    "The gauge was used past its due date.",
                    "It was not recalled when due.",
                    "The recall list is printed monthly and this gauge was moved between cells.",
                    "The calibration register does not record where a gauge is.",
                ],
                "The calibration register does not record gauge locations; moved gauges are "
                "missed at recall.",
                [
                    (
                        "Add location to every gauge in the calibration register",
                        "akhalil",
                        "Register CAL-R updated for 214 gauges.",
                    ),
                    (
                        "Recall due gauges weekly from the register, not a monthly print",
                        "akhalil",
                        "Weekly recall report for 6 weeks attached.",
                    ),
                ],
                "Spot-check 20 gauges a month on the floor for 3 months: none overdue.",
            ),
            C(
                "people",
                [
                    "The gauge was used past its due date.",
                    "The operator did not check the calibration label.",
                    "Checking the label is not part of the start-of-shift routine.",
                ],
                "Operators are not asked to check calibration labels before use.",
                [
                    (
                        "Add the calibration label check to the start-of-shift checklist",
                        "dquinn",
                        "Checklist SS-01 rev C at every cell.",
                    ),
                ],
                "Floor audit of gauges monthly for 3 months.",
            ),
        ),
        fishbone={
            "method": "Register has no gauge locations.",
            "people": "Label not checked before use.",
            "measurement": "Gauge found within tolerance.",
        },
        detectors=("employee", "employee", "kwisniewska", "dquinn"),
        severity=(7, 3, 0),
        output=True,
        dispositions=("concession",),
        costs=("inspection",),
        containers=("akhalil", "employee"),
    ),
    Scenario(
        source="employee_report",
        process="P-04",
        title="Unidentified parts found in WIP rack at {machine}",
        description=(
            "A tray of about {qty} machined {pn} parts was found in the WIP rack at "
            "{machine} without traveller or identification. Status and lot unknown."
        ),
        containment=(
            "Tray quarantined; lot traced from machine logs and CMM reports to {lot}. "
            "Parts re-inspected before release."
        ),
        correction="Parts re-inspected 100%, identified and returned to their lot.",
        causes=(
            C(
                "people",
                [
                    "Parts were left without identification.",
                    "The operator split the lot to free the machine and did not copy the "
                    "traveller.",
                    "Operators do not know how to split a lot.",
                ],
                "There is no taught way to split a lot; operators split lots without "
                "identification.",
                [
                    (
                        "Write and brief a lot-split procedure with split traveller tags",
                        "dquinn",
                        "WI-POD-09 released; split tags at every cell.",
                    ),
                ],
                "WIP rack audits weekly for 6 weeks: no unidentified parts.",
            ),
            C(
                "method",
                [
                    "Parts were left without identification.",
                    "Travellers stay with the first tray only.",
                    "Travellers are single sheets that cannot follow split lots.",
                ],
                "The paper traveller cannot follow a lot split across trays.",
                [
                    (
                        "Introduce tray labels printed from the traveller barcode",
                        "oadeyemi",
                        "Label printer at the cell; instruction WI-{n}.",
                    ),
                ],
                "WIP rack audits weekly for 6 weeks.",
            ),
        ),
        fishbone={
            "people": "Lot split on the night shift.",
            "method": "Traveller cannot follow split lots.",
            "environment": "WIP rack overfull.",
        },
        detectors=("employee", "employee", "kwisniewska", "dquinn"),
        severity=(8, 2, 0),
        output=True,
        dispositions=("concession", "rework"),
        costs=("inspection",),
        containers=("dquinn", "employee"),
    ),
    Scenario(
        source="employee_report",
        process="P-04",
        title="Wrong drawing revision at {machine} for {pn}",
        description=(
            "The drawing at {machine} for {pn} {part} was rev {rev0}; rev {rev} is released. "
            "{qty} parts machined to the old revision this week."
        ),
        containment=(
            "Old drawing removed; parts made to rev {rev0} held and compared with rev {rev}: "
            "{bad} affected by the changed chamfer."
        ),
        correction="Affected parts reworked to the rev {rev} chamfer.",
        causes=(
            C(
                "method",
                [
                    "The machine had an obsolete drawing.",
                    "Old copies are not collected when a new revision is issued.",
                    "Document control issues new paper copies but does not track where copies are.",
                ],
                "Document control does not know where paper copies of drawings are, so "
                "obsolete ones stay at machines.",
                [
                    (
                        "Replace paper drawings at machines with the tablet viewer",
                        "gevans",
                        "Tablets at 12 machines; document register links live.",
                    ),
                    (
                        "Sweep all cells for uncontrolled copies",
                        "cdunne",
                        "Sweep record: 17 obsolete copies removed.",
                    ),
                ],
                "Monthly check of 10 drawings at machines for 3 months.",
            ),
            C(
                "people",
                [
                    "The machine had an obsolete drawing.",
                    "The setter kept a marked-up personal copy.",
                    "Setters are not told why uncontrolled copies are a problem.",
                ],
                "Setters keep personal marked-up drawings; the risk is not part of training.",
                [
                    (
                        "Brief setters on document control; provide a way to mark up "
                        "controlled copies",
                        "fgallagher",
                        "Toolbox talk TT-{n} signed by 11 setters.",
                    ),
                ],
                "Monthly check of drawings at machines for 3 months.",
            ),
        ),
        fishbone={
            "method": "No list of where paper copies are.",
            "people": "Personal marked-up copies.",
        },
        detectors=("employee", "kwisniewska", "dquinn"),
        severity=(4, 5, 1),
        output=True,
        dispositions=("rework", "concession"),
        costs=("rework",),
        containers=("dquinn", "oadeyemi"),
    ),
    Scenario(
        source="employee_report",
        process="P-08",
        title="Coolant concentration low on {machine}",
        description=(
            "Refractometer reading on {machine} 3.5% against 6–8%. Rust spots seen on "
            "{pn} parts waiting for washing ({qty} parts)."
        ),
        containment="Coolant topped up; parts washed and inspected for corrosion.",
        correction="{bad} parts with rust spots cleaned with passivation paste and re-inspected.",
        causes=(
            C(
                "method",
                [
                    "Coolant concentration dropped.",
                    "It was topped up with water only.",
                    "The top-up instruction does not give a mixing ratio.",
                ],
                "The coolant top-up instruction gives no mixing ratio; machines were topped "
                "up with water.",
                [
                    (
                        "Install a proportional mixer and update instruction MT-11",
                        "bkavanagh",
                        "Mixer installed; MT-11 rev B.",
                    ),
                ],
                "Weekly concentration log within 6–8% for 8 weeks.",
            ),
            C(
                "machine",
                [
                    "Coolant concentration dropped.",
                    "The coolant mixer on {machine} was blocked.",
                    "The mixer is not in the planned maintenance schedule.",
                ],
                "The coolant mixer is not in the planned maintenance schedule.",
                [
                    (
                        "Add coolant mixers to the planned maintenance system",
                        "sryan",
                        "PM tasks created for 9 machines.",
                    ),
                ],
                "Weekly concentration log for 8 weeks.",
            ),
        ),
        fishbone={
            "method": "No mixing ratio.",
            "machine": "Blocked mixer.",
            "environment": "Hot weather, high evaporation.",
        },
        detectors=("employee", "dquinn", "kwisniewska"),
        severity=(8, 2, 0),
        output=True,
        dispositions=("rework",),
        costs=("rework",),
        containers=("sryan", "employee"),
    ),
    # --- internal audits ---------------------------------------------------------------
    Scenario(
        source="internal_audit",
        process="P-10",
        title="Internal audit {ia}: training records incomplete for agency operators",
        description=(
            "Internal audit {ia} (clause 7.2): of 8 agency operators sampled, 3 had no "
            "record of training on the work instructions of the parts they were running."
        ),
        containment="The 3 operators moved to trained tasks until signed off.",
        correction="Operators trained and signed off on their work instructions.",
        causes=(
            C(
                "people",
                [
                    "Training records were missing.",
                    "Agency operators started before their training was done.",
                    "Shift leads did not know the sign-off was required before starting.",
                ],
                "Shift leads were not aware that sign-off must come before an agency "
                "operator runs a part.",
                [
                    (
                        "Brief all shift leads on competence requirements",
                        "fgallagher",
                        "Briefing record with 6 signatures.",
                    ),
                    (
                        "Agency induction checklist signed by the shift lead",
                        "aferreira",
                        "Checklist HR-F-12 in use.",
                    ),
                ],
                "Follow-up audit of agency training records after 3 months.",
            ),
            C(
                "method",
                [
                    "Training records were missing.",
                    "The agency onboarding process has no training step.",
                ],
                "The agency onboarding procedure does not include job training.",
                [
                    (
                        "Add job training and sign-off to procedure HR-03",
                        "fgallagher",
                        "HR-03 rev 4 released.",
                    ),
                ],
                "Follow-up audit after 3 months.",
            ),
        ),
        fishbone={"people": "Shift leads unaware.", "method": "Onboarding has no training step."},
        detectors=("auditor", "cdunne"),
        severity=(7, 3, 0),
        containers=("fgallagher",),
    ),
    Scenario(
        source="internal_audit",
        process="P-03",
        title="Internal audit {ia}: supplier evaluations overdue",
        description=(
            "Internal audit {ia} (clause 8.4.1): 3 of 12 approved suppliers sampled, "
            "including {supplier}, had no annual evaluation in the last 18 months."
        ),
        containment="Evaluations of the 3 suppliers done during the audit week.",
        correction="Evaluations completed and filed.",
        causes=(
            C(
                "method",
                [
                    "Evaluations were overdue.",
                    "Nobody was reminded when they fell due.",
                    "Due dates are kept in a personal spreadsheet.",
                ],
                "Supplier evaluation due dates live in a personal spreadsheet with no reminder.",
                [
                    (
                        "Move supplier evaluations into the ERP supplier record with due dates",
                        "sbyrne",
                        "ERP report of evaluations due attached.",
                    ),
                ],
                "Follow-up audit: all evaluations in date.",
            ),
            C(
                "people",
                [
                    "Evaluations were overdue.",
                    "The buyer responsible left and the task was not handed over.",
                ],
                "Supplier evaluation was not handed over when the buyer left.",
                [
                    (
                        "Add QMS duties to the leaver handover checklist",
                        "fgallagher",
                        "HR-F-20 rev B released.",
                    ),
                ],
                "Follow-up audit after 3 months.",
            ),
        ),
        fishbone={"method": "Personal spreadsheet.", "people": "Handover missed."},
        detectors=("auditor", "cdunne"),
        severity=(8, 2, 0),
        containers=("sbyrne",),
    ),
    Scenario(
        source="internal_audit",
        process="P-01",
        title="Internal audit {ia}: contract review not evidenced",
        description=(
            "Internal audit {ia} (clause 8.2.3): 4 of 15 orders sampled, including {po} for "
            "{customer}, had no evidence that requirements were reviewed before acceptance."
        ),
        containment="Open orders without review reviewed retrospectively; no risk found.",
        correction="Review records added to the 4 orders.",
        causes=(
            C(
                "method",
                [
                    "Contract review was not recorded.",
                    "Repeat orders are accepted by e-mail without the review form.",
                ],
                "Repeat orders bypass the contract review form.",
                [
                    (
                        "Review repeat orders with a short checklist in the ERP order entry",
                        "noconnor",
                        "ERP checklist live; QP-02 rev 6.",
                    ),
                ],
                "Sample 15 orders after 3 months.",
            ),
            C(
                "people",
                [
                    "Contract review was not recorded.",
                    "The new coordinator did not know the form applies to repeat orders.",
                ],
                "Customer service staff misunderstood the scope of contract review.",
                [
                    (
                        "Train customer service on QP-02",
                        "lfitzgerald",
                        "Training record for 4 people.",
                    ),
                ],
                "Sample 15 orders after 3 months.",
            ),
        ),
        fishbone={"method": "Repeat orders bypass the form.", "people": "New staff."},
        detectors=("auditor", "cdunne"),
        severity=(7, 3, 0),
        containers=("lfitzgerald",),
    ),
    Scenario(
        source="internal_audit",
        process="P-05",
        title="Internal audit {ia}: obsolete traveller at assembly station",
        description=(
            "Internal audit {ia} (clause 7.5.3): assembly station 3 at Limerick used "
            "traveller AT-{pn} rev F; rev G was released 2 months earlier."
        ),
        containment="Obsolete traveller withdrawn; assemblies built checked against rev G.",
        correction="Rev G issued to the station.",
        causes=(
            C(
                "method",
                [
                    "An obsolete traveller was in use.",
                    "Limerick prints its own copies from e-mailed PDFs.",
                    "The document system does not reach the Limerick site.",
                ],
                "Controlled documents reach Limerick by e-mail, outside document control.",
                [
                    (
                        "Give Limerick stations access to the document register",
                        "pkowalski",
                        "Access live; e-mail distribution stopped.",
                    ),
                ],
                "Check 10 travellers at Limerick monthly for 3 months.",
            ),
        ),
        fishbone={"method": "Documents sent by e-mail.", "environment": "Second site."},
        detectors=("auditor", "cdunne"),
        severity=(6, 4, 0),
        parts="assembled",
        containers=("pkowalski", "jlis"),
    ),
    Scenario(
        source="internal_audit",
        process="P-09",
        title="Internal audit {ia}: calibration recall overdue for 6 gauges",
        description=(
            "Internal audit {ia} (clause 7.1.5.2): 6 gauges in the calibration register "
            "were overdue, 2 of them found in use ({gauge} among them)."
        ),
        containment="Gauges withdrawn; parts measured with them assessed, none affected.",
        correction="The 6 gauges calibrated.",
        causes=(
            C(
                "method",
                [
                    "Gauges were overdue.",
                    "The recall report was not run while the technician was on leave.",
                    "Nobody covers the calibration recall.",
                ],
                "The calibration recall has no cover during leave.",
                [
                    (
                        "Name and train a deputy for calibration recall",
                        "akhalil",
                        "Deputy trained; procedure CAL-01 rev 5.",
                    ),
                ],
                "Follow-up audit: no overdue gauges.",
            ),
            C(
                "measurement",
                [
                    "Gauges were overdue.",
                    "The external lab returned them late.",
                    "No spare gauges for critical sizes.",
                ],
                "No spare gauges for critical sizes, so gauges stay in use while awaiting "
                "the external lab.",
                [
                    (
                        "Buy spare gauges for the 5 critical sizes",
                        "akhalil",
                        "Purchase order and calibration certificates filed.",
                    ),
                ],
                "Follow-up audit after 3 months.",
            ),
        ),
        fishbone={"method": "No cover during leave.", "measurement": "No spare gauges."},
        detectors=("auditor", "cdunne"),
        severity=(6, 4, 0),
        containers=("akhalil",),
    ),
    # --- external audits ---------------------------------------------------------------
    Scenario(
        source="external_audit",
        process="P-12",
        title="NordCert surveillance audit: disposition of nonconforming output not authorised",
        description=(
            "NordCert surveillance audit, minor nonconformity against clause 8.7.2: 2 of 10 "
            "nonconforming product records sampled did not name who authorised the "
            "disposition."
        ),
        containment="The 2 records completed with the authorising person.",
        correction="Records updated; all open records checked.",
        causes=(
            C(
                "method",
                [
                    "The authoriser was not recorded.",
                    "The old paper NCR form had no field for it.",
                ],
                "The paper NCR form had no field for the person authorising the disposition.",
                [
                    (
                        "Record all nonconformities in Hoshin, where the authoriser is required",
                        "quality",
                        "Paper form withdrawn; Hoshin live for all sites.",
                    ),
                ],
                "Check 10 records at the next internal audit.",
            ),
        ),
        fishbone={"method": "Form without the field."},
        detectors=("extaudit",),
        severity=(8, 2, 0),
        containers=("quality",),
    ),
    Scenario(
        source="external_audit",
        process="P-02",
        title="Customer audit ({customer}): process change without risk assessment",
        description=(
            "{customer} audit finding against clause 8.5.6: the move of {pn} from {machine} "
            "to a new machine was made without a documented risk assessment or customer "
            "notification."
        ),
        containment="Retrospective PFMEA review of the change; customer notified.",
        correction="First-article inspection repeated on the new machine.",
        causes=(
            C(
                "method",
                [
                    "No risk assessment for the change.",
                    "Machine moves are not seen as process changes.",
                    "The change procedure covers design changes only.",
                ],
                "QP-07 covers design changes only; process changes such as machine moves "
                "escape risk assessment.",
                [
                    (
                        "Extend QP-07 to process changes with a PFMEA review step",
                        "gevans",
                        "QP-07 rev 10 released.",
                    ),
                    (
                        "List customers requiring change notification in the ERP",
                        "noconnor",
                        "Flag added to 14 customer records.",
                    ),
                ],
                "Review all process changes at the next management review.",
            ),
        ),
        fishbone={"method": "Procedure covers design changes only.", "people": "Awareness."},
        detectors=("quality",),
        severity=(5, 5, 0),
        containers=("gevans",),
    ),
]

VERIFICATION_NOTES = [
    "No recurrence in {k} lots reviewed ({m} parts); actions confirmed in place on the floor.",
    "Checked on the floor: changes in use. No repeat since the actions were completed.",
    "Data over the verification period reviewed: no recurrence. Effective.",
    "Follow-up sample of {k} records: all conforming.",
]
FAILED_NOTES = (
    "Repeat of the same problem on lot {lot2} during the verification period: the action "
    "covered the first shift only."
)
SECOND_ACTION = (
    "Extend the change to the night shift and add it to the shift handover checklist",
    "dquinn",
    "Handover checklist SH-02 rev D; night shift briefed.",
)
SPC_RULES = [
    "point beyond the upper control limit",
    "8 consecutive points above the centre line",
    "6 points steadily increasing",
    "2 of 3 points beyond 2 sigma",
]


@dataclass
class Plan:
    detected_on: datetime.date
    scenario: Scenario
    target: str = "closed"
    special: str = ""  # "", "duplicate", "fail_close", "fail_actions"
    original: Plan | None = None
    nc: Nonconformity | None = None
    context: dict[str, Any] = field(default_factory=dict)


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _pick(demo: Demo, weights: dict[str, int]) -> str:
    return demo.rng.choices(list(weights), weights=list(weights.values()))[0]


def _target(demo: Demo, age: int) -> str:
    rng = demo.rng
    if age <= 7:
        return rng.choice(["reported", "reported", "contained"])
    if age <= 21:
        return rng.choice(["contained", "investigated", "investigated", "actions"])
    if age <= 60:
        return rng.choice(["investigated", "actions", "actions", "verification", "closed"])
    if age <= 120:
        return rng.choices(["actions", "verification", "closed"], weights=[15, 10, 75])[0]
    return rng.choices(["actions", "verification", "closed"], weights=[5, 2, 93])[0]


def plan(demo: Demo) -> list[Plan]:
    """Which nonconformities, when, and how far each gets; oldest first."""
    rng, n = demo.rng, demo.nonconformities
    by_source: dict[str, list[Scenario]] = {}
    for scenario in SCENARIOS:
        by_source.setdefault(scenario.source, []).append(scenario)
    voids = max(1, round(n * 0.03)) if n >= 10 else 0
    count = n - voids
    ages = [
        rng.randint(0, 30) if rng.random() < 0.15 else rng.randint(0, 360) for _ in range(count)
    ]
    plans = []
    for age in sorted(ages, reverse=True):
        scenario = rng.choice(by_source[_pick(demo, SOURCE_WEIGHTS)])
        plans.append(Plan(demo.today - _days(age), scenario, _target(demo, age)))

    # Every open state has something in it to look at: where chance left one empty,
    # the nonconformity of the most fitting age is taken there.
    for state, age in PREFERRED_AGE.items():
        if plans and not any(p.target == state for p in plans):
            taken = Counter(p.target for p in plans)
            candidates = [p for p in plans if taken[p.target] > 1] or plans
            best = min(candidates, key=lambda p: abs((demo.today - p.detected_on).days - age))
            best.target = state
    # Two failed their first verification: one was closed after, one is back in actions.
    old = [p for p in plans if (demo.today - p.detected_on).days > 150]
    middle = [p for p in plans if 60 < (demo.today - p.detected_on).days <= 150]
    if old:
        chosen = rng.choice(old)
        chosen.target, chosen.special = "closed", "fail_close"
    if middle or old:
        candidates = [p for p in (middle or old) if not p.special]
        if candidates:
            chosen = rng.choice(candidates)
            chosen.target, chosen.special = "actions", "fail_actions"
    # Duplicates, reported again a day or two later and voided by the quality manager.
    originals = [p for p in plans if not p.special]
    for original in rng.sample(originals, min(voids, len(originals))):
        day = min(demo.today, original.detected_on + _days(rng.randint(0, 2)))
        plans.append(Plan(day, original.scenario, "void", special="duplicate", original=original))
    plans.sort(key=lambda p: (p.detected_on, p.special == "duplicate"))
    return plans


def _context(demo: Demo, item: Plan) -> dict[str, Any]:
    rng = demo.rng
    sc = item.scenario
    pool = {"machined": MACHINED, "assembled": ASSEMBLED}.get(sc.parts, PARTS)
    code, name, _process, unit, rev = rng.choice(pool)
    customer, customer_currency = rng.choice(CUSTOMERS)
    suppliers = [s for s in SUPPLIERS if not sc.suppliers or s[0] in sc.suppliers]
    supplier, supplier_currency, material = rng.choice(suppliers)
    d = item.detected_on
    qty = rng.choice([40, 60, 80, 120, 150, 200, 250, 400, 500, 800])
    bad = max(1, round(qty * rng.uniform(0.02, 0.3)))
    wk = d.isocalendar().week
    return {
        "pn": code,
        "part": name,
        "unit": Decimal(unit),
        "rev": rev,
        "rev0": chr(ord(rev) - 1),
        "rev2": chr(ord(rev) + 1),
        "customer": customer,
        "customer_currency": customer_currency,
        "supplier": supplier,
        "supplier_currency": supplier_currency,
        "material": material,
        "lot": f"L{d:%y}{wk:02d}-{rng.randint(1, 240):03d}",
        "lot2": f"L{d:%y}{min(wk + 6, 52):02d}-{rng.randint(1, 240):03d}",
        "qty": qty,
        "bad": bad,
        "pct": f"{rng.uniform(2.4, 6.8):.1f}",
        "po": f"PO-{rng.randint(451000, 459999)}",
        "cc": f"CC-{d:%y}-{rng.randint(10, 180):03d}",
        "ia": f"IA-{d.year}-{rng.randint(1, 12):02d}",
        "wi": f"WI-{code}-{rng.randint(1, 9):02d}",
        "machine": rng.choice(MACHINES),
        "gauge": rng.choice(GAUGES),
        "feature": rng.choice(FEATURES),
        "spc": rng.choice(SPC_RULES),
        "n": rng.randint(100, 999),
        "n2": rng.randint(100, 999),
        "n3": rng.randint(2, 9),
        "wk": wk,
        "k": rng.randint(3, 8),
        "m": rng.randint(400, 3000),
    }


def _fill(text: str, ctx: dict[str, Any]) -> str:
    return text.format(**ctx)


def _schedule(demo: Demo, item: Plan) -> list[datetime.date]:
    """The days of: reported, contained, investigated, actions started, submitted,
    closed (as far as the target goes), squeezed to fit between detection and today."""
    rng = demo.rng
    gaps = [
        rng.choice([0, 0, 0, 1]),
        rng.choice([0, 0, 1, 1, 2, 3]),
        rng.randint(2, 12),
        rng.randint(0, 4),
        rng.randint(12, 40),
        rng.randint(10, 35),
    ]
    if item.special == "fail_close":
        gaps[-1] += 45  # a second round of actions before the close
    steps = {"reported": 1, "contained": 2, "investigated": 3, "actions": 4, "verification": 5}
    steps.update(closed=6, void=2)
    target = "verification" if item.special == "fail_actions" else item.target
    gaps = gaps[: steps[target]]
    total = sum(gaps)
    room = (demo.today - item.detected_on).days
    if target not in ("closed", "void") and room > total:
        # Open ones stay where they are for a while: leave a little time since the last step.
        room = max(total, room - rng.randint(1, 5))
    offsets, running = [], 0
    for gap in gaps:
        running += gap
        offsets.append(running)
    if offsets[-1] > room:
        offsets = [int(o * room / offsets[-1]) for o in offsets]
    return [item.detected_on + _days(o) for o in offsets]


def _choose_cause(demo: Demo, sc: Scenario) -> Cause:
    weights = [CATEGORY_WEIGHTS[c.category] for c in sc.causes]
    return demo.rng.choices(sc.causes, weights=weights)[0]


def _verifier(demo: Demo, nc: Nonconformity) -> User:
    quality, auditor = demo.person("quality"), demo.person("auditor")
    if nc.owner_id == quality.pk:
        return auditor
    return quality if demo.rng.random() < 0.65 else auditor


def _save(nc: Nonconformity, day: datetime.date, reason: str = "") -> None:
    with dated(day):
        nc.save(reason=reason)


def _perform(
    demo: Demo, nc: Nonconformity, name: str, user: User, day: datetime.date, **kw: str
) -> None:
    with acting_as(user), dated(day):
        WORKFLOW.perform(nc, name, user, **kw)


def _add_action(
    demo: Demo,
    nc: Nonconformity,
    spec: tuple[str, str, str],
    ctx: dict[str, Any],
    planned: datetime.date,
    by: User,
) -> tuple[Action, str]:
    description, owner, evidence = spec
    action = Action(
        description=_fill(description, ctx),
        owner=demo.person(owner),
        due_date=planned + _days(demo.rng.randint(10, 35)),
        created_at=demo.moment(planned),
    )
    action.link_to(nc)
    with acting_as(by):
        action.save()
    return action, _fill(evidence, ctx)


def _complete(
    demo: Demo, action: Action, evidence: str, on: datetime.date, *, partly: bool = False
) -> None:
    """Mark ``action`` done on ``on`` (or, when ``partly``, only in progress)."""
    with acting_as(action.owner):
        if partly:
            action.status = ActionStatus.IN_PROGRESS
            action.save()
            return
        action.status = ActionStatus.DONE
        action.completed_on = on
        action.evidence = evidence
        action.save()


def _costs(demo: Demo, item: Plan, nc: Nonconformity, ctx: dict[str, Any], by: User) -> int:
    rng = demo.rng
    sc = item.scenario
    if not sc.costs or rng.random() < 0.15:
        return 0
    lines = []
    bad = nc.quantity_nonconforming or 0
    for category in sc.costs:
        currency = "EUR"
        if category == "scrap":
            amount = ctx["unit"] * bad
            text = f"{bad} × {ctx['pn']} scrapped at standard cost"
        elif category == "rework":
            hours = max(1, round(bad * rng.uniform(0.05, 0.25)))
            amount = Decimal(hours * 52)
            text = f"{hours} h rework at €52/h"
        elif category == "inspection":
            hours = rng.randint(2, 16)
            amount = Decimal(hours * 48)
            text = f"{hours} h of extra inspection and sorting"
        elif category == "freight":
            if sc.source == "supplier":
                currency = ctx["supplier_currency"]
                text = f"Return freight to {ctx['supplier']}"
            else:
                currency = ctx["customer_currency"]
                text = f"Express freight of replacement parts to {ctx['customer']}"
            amount = Decimal(rng.randint(180, 1900))
        elif category == "warranty":
            currency = ctx["customer_currency"]
            amount = Decimal(rng.randint(400, 6000))
            text = f"Credit note to {ctx['customer']}"
        else:
            amount = Decimal(rng.randint(90, 900))
            text = "Administration and overtime"
        lines.append((category, text, amount.quantize(Decimal("0.01")), currency))
    if sc.source == "customer_complaint" and rng.random() < 0.4:
        currency = ctx["customer_currency"]
        amount = Decimal(rng.randint(300, 4500)).quantize(Decimal("0.01"))
        lines.append(("warranty", f"Credit note to {ctx['customer']}", amount, currency))
    for category, text, amount, currency in lines:
        incurred = min(demo.today, nc.detected_on + _days(rng.randint(0, 25)))
        line = CostItem(
            nonconformity=nc,
            category=category,
            description=text[:200],
            amount=amount,
            currency=currency,
            incurred_on=incurred,
            created_at=demo.moment(incurred),
        )
        with acting_as(by):
            line.save()
    return len(lines)


def _build(demo: Demo, item: Plan) -> Nonconformity:
    rng = demo.rng
    sc = item.scenario
    people = demo.people
    if item.special == "duplicate" and item.original is not None:
        ctx = dict(item.original.context)
    else:
        ctx = _context(demo, item)
    item.context = ctx
    process = demo.processes[sc.process]
    owner: User = process.owner
    detector = people[rng.choice(sc.detectors)]
    # External auditors are read-only: the quality manager records what they found.
    reporter = people["quality"] if detector.username == "extaudit" else detector
    severity = rng.choices(list(Severity.values), weights=sc.severity)[0]
    days = _schedule(demo, item)
    reported = days[0]

    nc = Nonconformity(
        title=_fill(sc.title, ctx)[:200],
        description=_fill(sc.description, ctx),
        source=sc.source,
        severity=severity,
        process=process,
        owner=owner,
        site=(owner.site or people["quality"].site),
        detected_by=detector,
        detected_on=item.detected_on,
        due_date=item.detected_on + _days(DUE_DAYS[Severity(severity)]),
        created_at=demo.moment(reported),
    )
    if sc.output and sc.parts == "material":
        nc.product_ref = f"{ctx['material']} ({ctx['supplier']})"[:120]
        nc.lot_ref = ctx["lot"]
        nc.quantity_checked = ctx["qty"]
        nc.quantity_nonconforming = ctx["qty"]
    elif sc.output:
        nc.product_ref = f"{ctx['pn']} rev {ctx['rev']} – {ctx['part']}"
        nc.lot_ref = ctx["lot"]
        nc.quantity_checked = ctx["qty"]
        nc.quantity_nonconforming = ctx["bad"]
    if item.special == "duplicate":
        nc.detected_by = people[rng.choice(sc.containers or sc.detectors)]
        reporter = nc.detected_by
        if reporter.username == "extaudit":
            reporter = people["quality"]
        nc.description += " (Reported again by the other shift.)"
    with acting_as(reporter), dated(reported):
        nc.save()
    item.nc = nc
    if item.special == "duplicate":
        original = item.original.nc if item.original else None
        ref = original.reference if original else "an earlier report"
        what = f"lot {ctx['lot']}" if sc.output else "finding"
        _perform(
            demo,
            nc,
            "void",
            people["quality"],
            days[-1],
            comment=f"Duplicate of {ref}: the same {what} reported twice. Handled there.",
        )
        return nc
    if item.target == "reported":
        return nc

    # Contained ------------------------------------------------------------------------
    handler = owner if rng.random() < 0.85 else people["quality"]
    day = days[1]
    with acting_as(handler):
        nc.containment_action = _fill(sc.containment, ctx)
        nc.containment_by = people[rng.choice(sc.containers)] if sc.containers else owner
        nc.containment_on = day
        nc.correction = _fill(sc.correction, ctx)
        if sc.output:
            nc.disposition = rng.choice(sc.dispositions)
            authoriser = {
                "concession": "quality",
                "return_to_supplier": rng.choice(["sbyrne", "quality"]),
            }.get(nc.disposition, rng.choice(["emccarthy", "quality", owner.username]))
            nc.disposition_authorised_by = people[authoriser]
        _save(nc, day)
    _perform(demo, nc, "contain", handler, day)
    _costs(demo, item, nc, ctx, handler)
    if item.target == "contained":
        return nc

    # Investigated ----------------------------------------------------------------------
    cause = _choose_cause(demo, sc)
    day = days[2]
    whys = [_fill(w, ctx) for w in cause.whys][:5]
    if len(whys) > 2 and rng.random() < 0.3:
        whys = whys[: rng.randint(2, len(whys))]
    with acting_as(handler):
        nc.whys = whys
        nc.fishbone = {k: _fill(v, ctx) for k, v in sc.fishbone.items()}
        nc.cause_category = cause.category
        nc.root_cause = _fill(cause.root_cause, ctx)
        _save(nc, day)
    _perform(demo, nc, "investigate", handler, day)
    planned = day
    specs = list(cause.actions[: rng.randint(1, 3)]) if item.target != "investigated" else []
    if item.target == "investigated" and rng.random() < 0.6:
        specs = list(cause.actions[:1])  # planned already, not started
    actions = [_add_action(demo, nc, s, ctx, planned, handler) for s in specs]
    if item.target == "investigated":
        return nc

    # Corrective actions -----------------------------------------------------------------
    day = days[3]
    _perform(demo, nc, "start_actions", handler, day)
    if item.target == "actions" and item.special != "fail_actions":
        # Some done, at least one still open (overdue when its date has passed).
        for i, (action, evidence) in enumerate(actions):
            done_on = action.due_date - _days(rng.randint(0, 6))
            if i < len(actions) - 1 and done_on <= demo.today:
                _complete(demo, action, evidence, done_on)
            elif rng.random() < 0.5:
                _complete(demo, action, evidence, done_on, partly=True)
        return nc
    submitted = days[4]
    for action, evidence in actions:
        done_on = min(submitted, action.due_date + _days(rng.randint(-8, 4)))
        _complete(demo, action, evidence, max(done_on, day))
    with acting_as(handler):
        nc.refresh_from_db()
        nc.verification_method = _fill(cause.verification, ctx)
        nc.verification_due = submitted + _days(rng.randint(14, 45))
        _save(nc, submitted)
    _perform(demo, nc, "submit_verification", handler, submitted)

    if item.special in ("fail_close", "fail_actions"):
        verifier = _verifier(demo, nc)
        failed_on = submitted + _days(rng.randint(7, 20))
        if item.special == "fail_actions":
            failed_on = min(failed_on, demo.today - _days(rng.randint(3, 12)))
        failed_on = max(failed_on, submitted)
        with acting_as(verifier):
            nc.verification_result = "not_effective"
            nc.verification_notes = _fill(FAILED_NOTES, ctx)
            _save(nc, failed_on)
        _perform(
            demo,
            nc,
            "fail_verification",
            verifier,
            failed_on,
            comment="Not effective: the problem came back during verification. "
            "A further action is needed.",
        )
        action, evidence = _add_action(demo, nc, SECOND_ACTION, ctx, failed_on, handler)
        if item.special == "fail_actions":
            return nc
        resubmitted = failed_on + _days(rng.randint(10, 25))
        _complete(demo, action, evidence, resubmitted)
        with acting_as(handler):
            nc.refresh_from_db()
            nc.verification_result = ""
            nc.verification_notes = ""
            nc.verification_due = resubmitted + _days(30)
            _save(nc, resubmitted)
        _perform(demo, nc, "submit_verification", handler, resubmitted)
        days[5] = max(days[5], resubmitted + _days(14))
    if item.target == "verification":
        return nc

    # Closed ------------------------------------------------------------------------------
    verifier = _verifier(demo, nc)
    closed = min(days[5], demo.today)
    with acting_as(verifier):
        nc.verification_result = "effective"
        nc.verification_notes = _fill(rng.choice(VERIFICATION_NOTES), ctx)
        _save(nc, closed)
    _perform(
        demo,
        nc,
        "close",
        verifier,
        closed,
        password=demo.password,
        comment="Verified effective.",
    )
    return nc


def load(demo: Demo) -> None:
    """About ``demo.nonconformities`` nonconformities over the last twelve months."""
    plans = plan(demo)
    with quick_signatures(demo.people.values(), demo.password):
        for item in plans:
            _build(demo, item)
    states = Counter(p.nc.status for p in plans if p.nc is not None)
    demo.counts["nonconformities"] = len(plans)
    demo.counts["nonconformities by state"] = {
        s.name: states.get(s.name, 0) for s in WORKFLOW.states
    }
    demo.counts["corrective actions"] = Action.objects.filter(
        content_type=ContentType.objects.get_for_model(Nonconformity)
    ).count()
    demo.counts["cost lines"] = CostItem.objects.count()
