"""The planning records of the demo manufacturer (see :mod:`hoshin.planning.demo`).

Pure data: the risks and opportunities with what happened to each of them (assessed,
treated, reviewed, reassessed, closed) and when; the KPIs with how their figures
behave (stable, drifting, a special cause, a figure not yet entered); the quality
objectives and the two QMS change plans. Days are counted back from today ("age").

In texts, ``{R8}`` stands for the reference given to risk ``R8`` and ``{CHG-routing}`` for
that of a change plan.
"""

# The demo text is written as people write: en dashes, multiplication signs, ± and Ø.
# ruff: noqa: RUF001, RUF003

from __future__ import annotations

from dataclasses import dataclass, field

# --- risks and opportunities -------------------------------------------------------------


@dataclass(frozen=True)
class Act:
    """A treatment action: due ``due`` days ago (negative: still to come), done ``done``
    days ago (None: still open; ``started``: in progress)."""

    text: str
    owner: str
    due: int
    done: int | None = None
    evidence: str = ""
    started: bool = False


@dataclass(frozen=True)
class Step:
    """One step of a risk's life: assess, plan, treat, review, reassess or close."""

    name: str
    age: int
    rating: tuple[int, int] | None = None  # inherent likelihood × impact
    residual: tuple[int, int] | None = None
    treatment: str = ""
    text: str = ""  # treatment plan, effectiveness review or the comment of the step
    effectiveness: str = ""
    by: str = ""  # who does it (default: the risk's owner)
    actions: tuple[Act, ...] = ()
    due: int | None = None  # the next review after the step, in days ago


def assess(age: int, likelihood: int, impact: int, due: int | None = None) -> Step:
    return Step("assess", age, rating=(likelihood, impact), due=due)


def plan(age: int, treatment: str, text: str, *actions: Act, due: int | None = None) -> Step:
    return Step("plan", age, treatment=treatment, text=text, actions=actions, due=due)


def treat(age: int, due: int | None = None) -> Step:
    return Step("treat", age, due=due)


def review(age: int, by: str, effectiveness: str, residual: tuple[int, int], text: str) -> Step:
    return Step("review", age, residual=residual, effectiveness=effectiveness, text=text, by=by)


def reassess(
    age: int, text: str, rating: tuple[int, int], residual: tuple[int, int] | None = None
) -> Step:
    return Step("reassess", age, rating=rating, residual=residual, text=text)


def close(age: int, text: str) -> Step:
    return Step("close", age, text=text)


@dataclass(frozen=True)
class RiskSpec:
    key: str
    kind: str  # "risk" or "opportunity"
    title: str
    description: str
    cause: str
    consequence: str
    source: str
    process: str | None
    owner: str
    raised_by: str
    age: int
    steps: tuple[Step, ...] = ()
    rating: tuple[int, int] | None = None  # rated already when identified
    due: int | None = None  # next review when identified (days ago; negative: to come)
    # Nonconformities it was updated after: (process, words in their title).
    ncs: tuple[str, str] | None = None
    # Raised from the latest closed nonconformity like this (process, words in its title).
    from_nc: tuple[str, str] | None = None


RISKS: list[RiskSpec] = [
    RiskSpec(
        "R1",
        "risk",
        "Single source for forged 316 housing blanks",
        "All H-220 hydraulic valve housings are machined from forged 316 blanks bought "
        "from one supplier, Kaveri Forgings in India. A late or stopped supply stops the "
        "H-220 line within weeks.",
        "One qualified forging source; forging lead times of 8–14 weeks; sea freight from India.",
        "H-220 deliveries to Aerodyn Controls and Nordhavn Marine stop; penalty clauses, "
        "air freight and lost business.",
        "process",
        "P-03",
        "sbyrne",
        "sbyrne",
        600,
        steps=(
            assess(592, 3, 5),
            plan(
                586,
                "reduce",
                "Hold six weeks of H-220 blanks on consignment at Galway and review Kaveri's "
                "forging capacity every month.",
                Act(
                    "Agree a six-week consignment stock of H-220 blanks with Kaveri Forgings",
                    "sbyrne",
                    540,
                    548,
                    "Consignment agreement KF-02 signed; stock level on the weekly MRP report.",
                ),
                Act(
                    "Add Kaveri's forging capacity and order book to the monthly supplier review",
                    "riyer",
                    555,
                    558,
                    "Standing item on the supplier review agenda from the next review on.",
                ),
            ),
            treat(530),
            review(
                470,
                "quality",
                "effective",
                (2, 5),
                "The consignment stock covered both late shipments of the half-year; no "
                "line stoppage. The impact stays severe if it runs out.",
            ),
            reassess(
                122,
                "Supplier on-time delivery has fallen month after month (KPI); Kaveri's "
                "lead time went from 8 to 14 weeks and the consignment stock is down to two "
                "weeks. Rated again.",
                (4, 5),
                (3, 5),
            ),
            plan(
                112,
                "reduce",
                "Qualify a second, European source for the H-220 forging; raise the safety "
                "stock to ten weeks while it is qualified; weekly expediting with Kaveri.",
                Act(
                    "Weekly expedite call with Kaveri until the lead time is back under 10 weeks",
                    "adeshpande",
                    60,
                    66,
                    "Call notes in the supplier file; two shipments brought forward by air.",
                ),
                Act(
                    "Raise the safety stock of H-220 blanks to ten weeks",
                    "sbyrne",
                    28,
                    started=True,
                ),
                Act(
                    "Qualify Schmiedewerk Hagen as second source for the H-220 forging: "
                    "samples, first article, PPAP",
                    "riyer",
                    -45,
                    started=True,
                ),
            ),
        ),
    ),
    RiskSpec(
        "R2",
        "risk",
        "Only two people can program the 5-axis machines",
        "Programs for the Hermle C 32 and the DMU 50 are written by two people. When one "
        "is away, new 5-axis jobs wait.",
        "Specialist CAM skills (hyperMILL 5-axis); no program library.",
        "Late first articles and deliveries; jobs lost to competitors.",
        "process",
        "P-04",
        "owner",
        "gevans",
        520,
        steps=(
            assess(514, 3, 4),
            plan(
                508,
                "reduce",
                "Train two more programmers in hyperMILL 5-axis and keep every released "
                "program with its setup sheet in the program library.",
                Act(
                    "hyperMILL 5-axis course for K. Wiśniewska and D. Quinn",
                    "aferreira",
                    420,
                    431,
                    "Course certificates on the training records; both programmed a live "
                    "job under supervision.",
                ),
                Act(
                    "Move all released 5-axis programs and setup sheets to the program "
                    "library on the DNC server",
                    "oadeyemi",
                    400,
                    404,
                    "428 programs in the library; the machines load only from the DNC server.",
                ),
            ),
            treat(398),
            review(
                160,
                "quality",
                "effective",
                (2, 3),
                "Four people now program the 5-axis cell; the summer holidays were covered "
                "without a lost shift.",
            ),
        ),
    ),
    RiskSpec(
        "R3",
        "risk",
        "One CMM for all final inspection",
        "Every final inspection at Galway goes through one Zeiss CMM. Parts wait up to six "
        "days in the queue and a breakdown stops shipments.",
        "Volume up 20% in a year; CMM programs written on the machine itself.",
        "Late deliveries; pressure to release parts before measurement.",
        "process",
        "P-06",
        "emccarthy",
        "akhalil",
        150,
        steps=(
            assess(141, 4, 3),
            plan(
                68,
                "reduce",
                "A second CMM in the new Limerick metrology lab (change plan {CHG-cmm}); "
                "until then a second CMM shift on Tuesdays and Thursdays.",
                Act(
                    "Second CMM shift on Tuesdays and Thursdays until the Limerick lab opens",
                    "emccarthy",
                    50,
                    56,
                    "Second shift on the rota; the queue went from 6 to 3 days.",
                ),
                Act(
                    "Install and commission the Zeiss Contura in the Limerick metrology lab",
                    "emccarthy",
                    -45,
                    started=True,
                ),
                Act(
                    "Train two Limerick inspectors in Calypso CMM programming",
                    "aferreira",
                    -30,
                ),
            ),
        ),
    ),
    RiskSpec(
        "R4",
        "risk",
        "Leaking actuators passing the leak test",
        "Leak-test failures on the pneumatic actuators keep coming back; an actuator that "
        "leaks only when warm could pass the test and reach the customer.",
        "Leak test at room temperature only; O-ring seating checked by eye.",
        "Field failures of customers' valves; recall of assembled actuators.",
        "nonconformity",
        "P-05",
        "pkowalski",
        "pkowalski",
        20,
        steps=(assess(14, 3, 5),),
        ncs=("P-05", "Leak test"),
        from_nc=("P-05", "Leak test"),
    ),
    RiskSpec(
        "R5",
        "risk",
        "Measuring equipment used past its calibration date",
        "Gauges and instruments are found in use after their calibration fell due; parts "
        "measured with them must be re-checked.",
        "Recall list kept in a spreadsheet; gauges held at the machines, not in the crib.",
        "Parts accepted with a gauge out of calibration; recalls; audit findings.",
        "audit",
        "P-09",
        "owner",
        "quality",
        300,
        steps=(
            assess(296, 3, 4),
            plan(
                290,
                "reduce",
                "Weekly recall list from the calibration register to every supervisor; red "
                "“do not use” tags; the gauge crib checks the due date before issue.",
                Act(
                    "Weekly calibration recall e-mail to the supervisors from the register",
                    "bkavanagh",
                    250,
                    262,
                    "Recall list sent every Monday; copies kept with the calibration records.",
                ),
                Act(
                    "Brief inspectors and setters: check the calibration label before use",
                    "emccarthy",
                    240,
                    241,
                    "Toolbox talk, 38 signatures on the attendance sheet.",
                ),
                Act(
                    "Barcode check of the due date when a gauge is issued from the crib",
                    "bkavanagh",
                    200,
                    181,
                    "The crib scanner refuses gauges past their due date; tested with HG-014.",
                ),
            ),
            treat(62, due=-20),
        ),
        ncs=("P-09", "calibration"),
    ),
    RiskSpec(
        "R6",
        "risk",
        "Contract review skipped on repeat orders",
        "Repeat orders are confirmed without checking that the drawing revision, quantity "
        "and delivery date are the ones quoted.",
        "Repeat orders entered by copying the last one; the checklist is on paper.",
        "Parts made to the wrong revision or promised dates that cannot be met.",
        "audit",
        "P-01",
        "noconnor",
        "auditor",
        330,
        steps=(
            assess(326, 3, 3),
            plan(
                320,
                "reduce",
                "The contract review checklist becomes a compulsory step of order entry in "
                "the ERP, repeat orders included; sales administration checks a sample of "
                "ten orders every month.",
                Act(
                    "Make the contract review checklist a compulsory step of ERP order entry",
                    "noconnor",
                    262,
                    270,
                    "The ERP will not confirm an order until the checklist fields are filled.",
                ),
                Act(
                    "Monthly sample of ten orders checked for contract review",
                    "glynch",
                    230,
                    229,
                    "First sample: 10 of 10 with the checklist; results kept with QP-002 records.",
                ),
            ),
            treat(221),
            review(
                102,
                "quality",
                "partly",
                (2, 3),
                "The checklist is used on almost every order sampled, but two repeat orders "
                "were still confirmed without it. Kept under watch; reassess if it happens "
                "again.",
            ),
        ),
        ncs=("P-01", "contract review"),
    ),
    RiskSpec(
        "R7",
        "risk",
        "Traceability of medical parts broken in a recall",
        "Lots of medical parts pass through machining, outside passivation and packing. If "
        "a lot cannot be traced from bar to shipment, a customer recall cannot be limited.",
        "Lot numbers written by hand at three steps; passivation batch records kept apart.",
        "Whole deliveries recalled; loss of medical customers' approval.",
        "interested_party",
        "P-12",
        "quality",
        "quality",
        640,
        steps=(
            assess(634, 2, 5),
            plan(
                630,
                "reduce",
                "Lot number on every traveller, passivation batch record and certificate of "
                "conformity; a mock recall on a medical lot twice a year.",
                Act(
                    "Add the lot number to the passivation batch record",
                    "oadeyemi",
                    590,
                    592,
                    "Batch record form revised; in use from the next passivation run.",
                ),
                Act(
                    "Mock recall of a Celtic MedTech lot: from material certificate to "
                    "shipment in under four hours",
                    "auditor",
                    560,
                    566,
                    "Mock recall traced the lot in 2 h 40 min; report with the audit records.",
                ),
            ),
            treat(552),
            review(
                398,
                "ceo",
                "effective",
                (1, 5),
                "Two mock recalls, both traced in under three hours with every record found.",
            ),
        ),
    ),
    RiskSpec(
        "R8",
        "risk",
        "Wrong drawing revision used at the machine",
        "Printed drawings and paper travellers stay at the machines after a drawing "
        "changes; parts are made to the old revision.",
        "Paper travellers printed at order release; no one collects the superseded prints.",
        "Scrap, rework and parts shipped to the wrong revision.",
        "process",
        "P-04",
        "owner",
        "cdunne",
        420,
        steps=(
            assess(414, 4, 4),
            plan(
                270,
                "reduce",
                "Replace the paper traveller and printed drawings with the ERP routing and a "
                "drawing viewer at each machine that shows only the released revision "
                "(change plan {CHG-routing}).",
                Act(
                    "ERP routing with the released drawing on a screen at every machine",
                    "owner",
                    110,
                    96,
                    "Live on all machines at Galway and the assembly lines at Limerick "
                    "({CHG-routing}).",
                ),
                Act(
                    "Collect and shred the printed drawings on the shop floor",
                    "dquinn",
                    90,
                    92,
                    "Two boxes of prints shredded; an audit walk on each shift found none.",
                ),
            ),
            treat(86),
            review(
                30,
                "quality",
                "effective",
                (1, 4),
                "Audit walks on all three shifts found only the released revision on "
                "screen; travellers are no longer printed.",
            ),
        ),
    ),
    RiskSpec(
        "R9",
        "risk",
        "Agency operators working before their training is recorded",
        "Agency operators start on the lines before their induction and job training are "
        "signed off in the skills matrix.",
        "Short-notice agency cover; the agency sends whoever is free.",
        "Nonconforming parts; audit findings against 7.2.",
        "audit",
        "P-10",
        "fgallagher",
        "auditor",
        310,
        steps=(
            assess(305, 3, 3),
            plan(
                300,
                "reduce",
                "An induction checklist signed before an agency operator's first shift.",
                Act(
                    "Induction checklist for agency operators, signed before the first shift",
                    "aferreira",
                    272,
                    268,
                    "Checklist in use at both sites; copies in the agency folder.",
                ),
            ),
            reassess(
                121,
                "Internal audit found two more agency operators on the lines without "
                "training records: the checklist alone is not enough. Likelihood raised.",
                (4, 3),
            ),
            plan(
                112,
                "reduce",
                "No agency operator starts without the signed induction and an entry in the "
                "skills matrix; supervisors check the matrix at the start of each shift.",
                Act(
                    "Agency contract: no operator starts without the signed induction and "
                    "a skills-matrix entry",
                    "fgallagher",
                    42,
                    started=True,
                ),
                Act(
                    "Supervisors check the skills matrix at shift start (Galway and Limerick)",
                    "pkowalski",
                    20,
                ),
                Act("Skills matrix on the shift board", "aferreira", -21),
            ),
        ),
        ncs=("P-10", "training"),
    ),
    RiskSpec(
        "R10",
        "risk",
        "Breakdown of the Hermle C 32, the only machine for manifold blocks",
        "The MN-75 manifold block is made only on the Hermle C 32 5-axis. A spindle failure "
        "would stop it for weeks.",
        "No back-up route; spindle spares on a 6-week lead time.",
        "MN-75 deliveries stop; customers' assembly lines wait.",
        "process",
        "P-08",
        "owner",
        "bkavanagh",
        260,
        steps=(
            assess(255, 2, 4),
            plan(
                250,
                "reduce",
                "Critical spares on site, a service contract with 48-hour response, and the "
                "MN-75 program proven on the DMU 50 as a back-up route.",
                Act(
                    "Hermle service contract with 48-hour response",
                    "owner",
                    210,
                    215,
                    "Contract signed for three years; response time in the schedule.",
                ),
                Act(
                    "Critical spares kit for the Hermle C 32: spindle bearings, belts, encoders",
                    "bkavanagh",
                    200,
                    190,
                    "Kit in the maintenance store, on the spares list with minimum stock.",
                ),
                Act(
                    "Prove the MN-75 program on the DMU 50 as a back-up route",
                    "oadeyemi",
                    150,
                    141,
                    "First article on the DMU 50 passed; program and setup sheet in the library.",
                ),
            ),
            treat(131, due=-30),
        ),
    ),
    RiskSpec(
        "R11",
        "risk",
        "Shipment labelled for the wrong customer or part",
        "Boxes are labelled by hand at the packing bench; a label for the wrong order can "
        "go on a box.",
        "Labels printed in batches for several orders at once.",
        "Wrong parts at the customer; medical traceability broken.",
        "process",
        "P-07",
        "sbyrne",
        "pnolan",
        330,
        steps=(
            assess(327, 3, 3),
            plan(
                320,
                "reduce",
                "Scan to verify: the label barcode is scanned against the ERP pick list "
                "before the box is sealed; labels printed one order at a time.",
                Act(
                    "Label scanner at the packing bench, checked against the ERP pick list",
                    "pnolan",
                    260,
                    251,
                    "Scanner in use on every shipment; a mismatch locks the box until cleared.",
                ),
                Act(
                    "Train the warehouse team in scan to verify",
                    "aferreira",
                    245,
                    244,
                    "Six people trained; records in the skills matrix.",
                ),
            ),
            treat(232),
            review(
                150,
                "quality",
                "effective",
                (1, 3),
                "The scanner stopped 11 mismatched labels before the box was sealed in its "
                "first three months; no shipment left with a label of another order.",
            ),
        ),
    ),
    RiskSpec(
        "R12",
        "risk",
        "Process changes made without a risk assessment",
        "Changes to machining processes (new tooling, a different route) are made without "
        "reviewing the PFMEA or telling the customers whose quality agreements ask for it.",
        "The change request in QP-07 has no risk assessment step.",
        "Unvalidated parts shipped; customer audit findings; loss of approvals.",
        "audit",
        "P-02",
        "gevans",
        "quality",
        200,
        steps=(
            assess(195, 3, 4),
            plan(
                190,
                "reduce",
                "Risk assessment (PFMEA review) a compulsory part of every change request in "
                "QP-07; the customers' change-notification requirements listed on the form.",
                Act(
                    "Add “risk assessment / PFMEA updated” to the change request in QP-07",
                    "gevans",
                    120,
                    started=True,
                ),
                Act(
                    "List each customer's change-notification requirements on the change request",
                    "ecollins",
                    100,
                    104,
                    "Table of six customers' requirements attached to the change request form.",
                ),
                Act("Train the engineers on the new change request", "aferreira", -15),
            ),
        ),
    ),
    RiskSpec(
        "R13",
        "risk",
        "Ransomware stopping the ERP and the CNC network",
        "A ransomware attack would stop order handling, the ERP routing and the DNC server "
        "that feeds programs to the machines, at both Irish sites.",
        "Flat network between office and shop floor; older CNC controls that cannot be patched.",
        "Production stopped for days; lost quality records.",
        "context_issue",
        None,
        "dmurphy",
        "quality",
        45,
        steps=(assess(38, 3, 5),),
    ),
    RiskSpec(
        "R14",
        "risk",
        "Celtic MedTech cutting its supplier base",
        "Celtic MedTech, our largest medical customer, is halving its list of machining "
        "suppliers next year; suppliers without ISO 13485 or below 90% on its scorecard "
        "will be dropped.",
        "Customer's supplier consolidation programme.",
        "Loss of about 18% of sales.",
        "interested_party",
        "P-11",
        "noconnor",
        "noconnor",
        90,
        steps=(
            assess(84, 4, 5),
            plan(
                60,
                "reduce",
                "Show Celtic MedTech we belong on the shortlist: quarterly business reviews, "
                "the ISO 13485 gap closed, and its scorecard above 90%.",
                Act(
                    "Quarterly business review with Celtic MedTech's supplier quality team",
                    "noconnor",
                    30,
                    29,
                    "Review held; scorecard at 88%, actions agreed on delivery and PPAP.",
                ),
                Act(
                    "Scorecard actions: on-time delivery and PPAP lead time",
                    "lfitzgerald",
                    10,
                    started=True,
                ),
                Act("ISO 13485 gap analysis and plan", "quality", -60, started=True),
            ),
        ),
    ),
    RiskSpec(
        "R15",
        "risk",
        "Precision parts damaged in transit",
        "Export shipments of finished parts are damaged in transit; ground surfaces and "
        "threads cannot be reworked.",
        "Several carriers and hand-overs; packaging not always to the specification.",
        "Replacement parts at our cost, late deliveries.",
        "process",
        "P-07",
        "sbyrne",
        "pnolan",
        480,
        steps=(
            assess(477, 3, 4),
            plan(
                470,
                "transfer",
                "Transit insurance for all export shipments and carrier contracts with "
                "liability for damage; claims handled by the carrier.",
                Act(
                    "Transit insurance for export shipments (annual policy)",
                    "dmurphy",
                    420,
                    431,
                    "Annual policy in place; certificate in the finance files.",
                ),
                Act(
                    "Carrier contracts with damage liability",
                    "sbyrne",
                    400,
                    396,
                    "Contracts signed with both carriers used for exports.",
                ),
            ),
            treat(390),
            review(
                262,
                "quality",
                "effective",
                (3, 2),
                "Two damage claims in the period, both paid by the carrier within 30 days; "
                "the customers were resupplied from stock. Damage still happens, the cost "
                "no longer falls on us.",
            ),
        ),
    ),
    RiskSpec(
        "R17",
        "risk",
        "Obsolete assembly travellers at the workstations",
        "Travellers of superseded revisions are found at the assembly stations in Limerick.",
        "Paper travellers copied at the stations.",
        "Actuators assembled to an old revision.",
        "audit",
        "P-05",
        "pkowalski",
        "auditor",
        250,
        steps=(
            assess(246, 3, 3),
            close(
                200,
                "Merged into {R8}: the ERP routing replaces the paper traveller at assembly "
                "too, and is handled there.",
            ),
        ),
    ),
    RiskSpec(
        "R18",
        "risk",
        "Skilled machinists hard to recruit in Galway",
        "Three experienced setters retire within two years and vacancies for CNC setters "
        "stay open for months.",
        "Competition for skilled people from the medical device plants around Galway.",
        "Longer set-ups, more first-off failures, overtime.",
        "context_issue",
        "P-10",
        "fgallagher",
        "owner",
        6,
        due=-24,
    ),
    RiskSpec(
        "R20",
        "risk",
        "Sole supplier of FKM O-rings closing down",
        "Polyseal O-Rings, our only source of FKM O-rings, was reported to be in financial "
        "difficulty.",
        "One approved O-ring supplier.",
        "Assembly of actuators stops.",
        "interested_party",
        "P-03",
        "sbyrne",
        "sbyrne",
        540,
        steps=(
            assess(536, 2, 4),
            close(
                300,
                "No longer relevant: Polyseal was taken over by a large seal maker and "
                "supply is secured by a three-year agreement.",
            ),
        ),
    ),
    # --- opportunities ---------------------------------------------------------------
    RiskSpec(
        "O1",
        "opportunity",
        "UDI laser marking in house for medical customers",
        "Medical customers ask for UDI carriers marked on the parts. Marking in house, "
        "instead of sending parts out, shortens lead time and wins the marking work.",
        "EU MDR: our customers must mark their devices.",
        "New work from Celtic MedTech and two other medical customers; a week less lead time.",
        "interested_party",
        "P-02",
        "gevans",
        "noconnor",
        110,
        steps=(
            assess(101, 4, 4),
            plan(
                80,
                "exploit",
                "Buy a fibre laser marker, validate UDI marking on 316 and 6082, and offer it "
                "to the medical customers.",
                Act(
                    "Fibre laser marker: quotes and trial marks on 316 and 6082",
                    "oadeyemi",
                    40,
                    46,
                    "Trial marks graded A by the customer's verifier; supplier chosen.",
                ),
                Act(
                    "Laser marking specification and work instruction for UDI",
                    "ecollins",
                    15,
                    started=True,
                ),
                Act("Validate UDI marking (IQ/OQ/PQ) with Celtic MedTech", "gevans", -50),
            ),
        ),
    ),
    RiskSpec(
        "O2",
        "opportunity",
        "CMM inspection services from the Limerick metrology lab",
        "Once the Limerick metrology lab is open, spare CMM hours could be sold to local "
        "machine shops.",
        "Second CMM with more capacity than we need at first.",
        "Extra income that pays for the lab sooner.",
        "other",
        "P-06",
        "emccarthy",
        "noconnor",
        25,
        rating=(2, 2),
        due=-35,
    ),
    RiskSpec(
        "O3",
        "opportunity",
        "Lights-out machining on the DMU 50 pallet system",
        "The DMU 50 with its six-pallet changer could run unattended at night on long jobs.",
        "Pallet system bought last year, used only on day shift.",
        "More output from the 5-axis cell without more people.",
        "process",
        "P-04",
        "owner",
        "oadeyemi",
        330,
        steps=(
            assess(326, 3, 4),
            plan(
                300,
                "exploit",
                "Probing and tool-life monitoring for unattended running; long MN-75 and "
                "H-220 jobs planned for the night.",
                Act(
                    "Probing and tool-life monitoring for unattended running",
                    "oadeyemi",
                    200,
                    205,
                    "Renishaw probing cycles and sister tools set on all night jobs.",
                ),
                Act(
                    "Night schedule of long-running jobs in the ERP",
                    "dquinn",
                    160,
                    150,
                    "Night jobs planned every week from the ERP capacity plan.",
                ),
            ),
            treat(120),
            review(
                40,
                "ceo",
                "effective",
                (2, 2),
                "The DMU 50 runs about 14 hours unattended a night; the 5-axis cell's OEE "
                "is above target (KPI). What is left is extending it to the Hermle.",
            ),
        ),
    ),
    RiskSpec(
        "O4",
        "opportunity",
        "ISO 13485 certification to win more medical work",
        "Certification to ISO 13485 would keep us on Celtic MedTech's shortlist and open "
        "doors at other medical device makers.",
        "Medical customers consolidating to certified suppliers.",
        "Retained and new medical business.",
        "interested_party",
        "P-12",
        "quality",
        "ceo",
        70,
        steps=(assess(61, 3, 5, due=-30),),
    ),
    RiskSpec(
        "O5",
        "opportunity",
        "Lower-cost turned parts from suppliers near Pune",
        "The Pune sourcing office could develop local machine shops for simple turned parts.",
        "Sourcing office in Pune with a supplier quality engineer.",
        "Cheaper simple parts; Galway capacity freed for complex work.",
        "context_issue",
        "P-03",
        "sbyrne",
        "adeshpande",
        380,
        steps=(
            assess(375, 3, 3),
            plan(
                360,
                "exploit",
                "Qualify two machine shops near Pune for simple turned parts, with source "
                "inspection by the Pune office.",
                Act(
                    "Supplier audits of two machine shops near Pune",
                    "riyer",
                    300,
                    305,
                    "Both audited; one approved, one approved with conditions.",
                ),
                Act(
                    "Source inspection plan for parts made in India",
                    "riyer",
                    200,
                    210,
                    "Plan agreed with Galway inspection; sampling to ISO 2859-1.",
                ),
                Act(
                    "First articles of the AB-45 bracket from the first Pune supplier",
                    "adeshpande",
                    240,
                    231,
                    "First article report approved by Galway inspection.",
                ),
            ),
            treat(190, due=-25),
        ),
    ),
    RiskSpec(
        "O6",
        "opportunity",
        "Predictive maintenance from spindle vibration",
        "Vibration sensors on the spindles of the 5-axis machines would warn of bearing "
        "wear weeks before a failure.",
        "Sensors now cheap; the machine builders offer the software.",
        "Fewer breakdowns; repairs planned at weekends.",
        "process",
        "P-08",
        "owner",
        "bkavanagh",
        55,
        steps=(assess(50, 1, 4, due=-40),),
    ),
    RiskSpec(
        "O7",
        "opportunity",
        "Aerospace tier-2 work with AS9100",
        "Two aerospace tier-1 suppliers have asked for quotes on machined brackets; they "
        "require AS9100 within a year.",
        "Aerospace build rates rising; tier-1s looking for new machining suppliers.",
        "A new market for the 5-axis cell.",
        "context_issue",
        "P-01",
        "noconnor",
        "ceo",
        15,
        rating=(3, 4),
        due=-15,
    ),
]


# --- KPIs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiSpec:
    """A KPI and how its figures behave.

    Figures scatter around ``mean`` (a percentage for a proportion) with normal noise
    ``sd`` (a proportion: binomial noise of ``size`` items a period; ``poisson``: counts).
    ``shift`` = (periods before the last, periods it takes, change): a slow drift that
    starts that many periods before the last figure. ``spike`` = (periods before the
    last, change): one special cause. The loader checks the control chart shows the
    ``signals`` named and no others (``allowed`` may show too), and that the last
    figure gives ``status``.
    """

    key: str
    title: str
    description: str
    unit: str
    direction: str
    target: str
    amber: str | None
    red: str | None
    frequency: str
    data_source: str
    process: str
    owner: str
    kind: str = "value"
    decimals: int = 1
    automatic: str = ""
    periods: int = 0  # how many periods of figures
    age: int | None = None  # created this many days ago (default: before its figures)
    mean: float = 0.0
    sd: float = 0.0
    size: int = 0
    poisson: bool = False
    shift: tuple[int, int, float] | None = None
    spike: tuple[int, float, str] | None = None  # ..., and the note given with it
    signals: frozenset[str] = frozenset()
    allowed: frozenset[str] = frozenset()
    status: str = ""
    missing: bool = False  # the last figure expected is not in
    imported_monthly: bool = False  # every figure imported from a file (an ERP export)
    retired: tuple[int, str] | None = None  # (days ago, why)
    notes: dict[int, str] = field(default_factory=dict)  # periods before the last: note


TREND = "trend_of_6"
RUN = "run_of_8"
BEYOND = "beyond_3_sigma"

KPIS: list[KpiSpec] = [
    KpiSpec(
        "otd",
        "On-time delivery to customers",
        "Order lines shipped on or before the confirmed delivery date, out of all order "
        "lines shipped in the month.",
        "%",
        "higher",
        "95",
        "92",
        "88",
        "monthly",
        "ERP shipments against confirmed dates (report SD-14)",
        "P-01",
        "noconnor",
        kind="proportion",
        periods=24,
        mean=93.6,
        size=340,
        status="at_risk",
    ),
    KpiSpec(
        "fpy_m",
        "First-pass yield – machining",
        "Parts accepted first time at first-off, in-process and final inspection, out of "
        "all machined parts inspected in the month (no rework, no scrap).",
        "%",
        "higher",
        "97",
        "96",
        "94.5",
        "monthly",
        "Inspection records in the ERP (routing operations 900–990)",
        "P-04",
        "owner",
        kind="proportion",
        periods=24,
        mean=97.45,
        size=2600,
        spike=(
            7,
            -2.9,
            "Bar stock lot with inclusions: 96 H-220 housings scrapped at final inspection "
            "(nonconformity raised with the supplier).",
        ),
        signals=frozenset({BEYOND}),
        status="on_target",
    ),
    KpiSpec(
        "fpy_a",
        "First-pass yield – assembly and leak test",
        "Actuators and valve assemblies passing the leak test and final test first time, "
        "out of all tested in the month.",
        "%",
        "higher",
        "98.5",
        "97.5",
        "96.5",
        "monthly",
        "Leak-test rig log and final test records, Limerick",
        "P-05",
        "pkowalski",
        kind="proportion",
        periods=13,
        mean=98.7,
        size=1450,
        shift=(9, 9, -2.4),
        signals=frozenset({TREND, RUN}),
        allowed=frozenset({BEYOND}),
        status="off_target",
        notes={2: "Leak-test failures on AC-16 again; see the nonconformities of the month."},
    ),
    KpiSpec(
        "complaints",
        "Customer complaints",
        "Complaints received from customers in the month (quality, delivery, documents), "
        "whether justified or not.",
        "",
        "lower",
        "3",
        "5",
        "8",
        "monthly",
        "Complaints log (QP-010)",
        "P-11",
        "lfitzgerald",
        decimals=0,
        periods=24,
        mean=3.0,
        poisson=True,
        status="on_target",
    ),
    KpiSpec(
        "scrap",
        "Scrap cost as % of sales",
        "Standard cost of parts and material scrapped in the month, as a percentage of the "
        "month's sales.",
        "%",
        "lower",
        "1.5",
        "1.8",
        "2.2",
        "monthly",
        "ERP scrap transactions and the sales ledger (monthly export)",
        "P-04",
        "owner",
        decimals=2,
        periods=20,
        mean=1.63,
        sd=0.13,
        status="at_risk",
        imported_monthly=True,
    ),
    KpiSpec(
        "grr",
        "CMM measurement system capability (%GRR)",
        "Gauge R&R of the Zeiss CMM on the Ø22H7 bore of the H-220 housing: 10 parts × 3 "
        "operators × 3 trials, as % of the tolerance (AIAG MSA).",
        "%",
        "lower",
        "10",
        "20",
        "30",
        "quarterly",
        "Quarterly gauge R&R study, Metrology",
        "P-06",
        "emccarthy",
        periods=8,
        mean=11.6,
        sd=1.3,
        status="at_risk",
    ),
    KpiSpec(
        "supplier_otd",
        "Supplier on-time delivery",
        "Purchase order lines received on or before the agreed date, out of all lines "
        "received in the month.",
        "%",
        "higher",
        "95",
        "90",
        "85",
        "monthly",
        "ERP goods receipts against PO dates",
        "P-03",
        "sbyrne",
        kind="proportion",
        periods=24,
        mean=95.2,
        size=210,
        shift=(10, 10, -10.2),
        signals=frozenset({TREND, RUN}),
        allowed=frozenset({BEYOND}),
        status="off_target",
        notes={0: "Kaveri Forgings: 9 of 14 lines late."},
    ),
    KpiSpec(
        "cal_overdue",
        "Instruments past their calibration date",
        "Gauges and measuring instruments in use or issuable whose calibration date has "
        "passed, counted on the last working day of the month.",
        "",
        "lower",
        "0",
        "1",
        "3",
        "monthly",
        "Calibration register (QP-008)",
        "P-09",
        "bkavanagh",
        decimals=0,
        periods=12,
        mean=0.8,
        poisson=True,
        spike=(8, 7, "Six gauges of one cell found past due at the internal audit."),
        signals=frozenset({BEYOND}),
        status="at_risk",
    ),
    KpiSpec(
        "training",
        "Training plan completed on time",
        "Trainings of the training plan completed by their due date, out of those due in "
        "the month (agency staff included).",
        "%",
        "higher",
        "95",
        "90",
        "85",
        "monthly",
        "Training records and the skills matrix (QP-009)",
        "P-10",
        "aferreira",
        kind="proportion",
        periods=12,
        mean=91.0,
        size=48,
        status="at_risk",
        missing=True,
    ),
    KpiSpec(
        "oee",
        "OEE – 5-axis cell",
        "Overall equipment effectiveness of the Hermle C 32 and the DMU 50: availability × "
        "performance × quality, over the planned production time of the week.",
        "%",
        "higher",
        "65",
        "60",
        "55",
        "weekly",
        "Machine monitoring (MDC) and the ERP",
        "P-04",
        "oadeyemi",
        periods=40,
        mean=59.6,
        sd=2.1,
        shift=(22, 10, 6.6),
        signals=frozenset({RUN}),
        allowed=frozenset({TREND}),
        status="on_target",
        notes={
            22: "SMED changeover kit in use on the Hermle from this week.",
            14: "DMU 50 running unattended on the night shift.",
        },
    ),
    KpiSpec(
        "downtime",
        "Unplanned machine downtime",
        "Hours of unplanned stoppage of the CNC machines in the week (breakdowns, waiting "
        "for maintenance), from the machine monitoring.",
        "h",
        "lower",
        "12",
        "16",
        "22",
        "weekly",
        "Machine monitoring (MDC) stop reasons",
        "P-08",
        "bkavanagh",
        periods=40,
        mean=10.2,
        sd=2.4,
        status="on_target",
    ),
    KpiSpec(
        "audit_findings",
        "Internal audit findings closed on time",
        "Internal audit findings closed by their due date, out of the findings closed in "
        "the quarter.",
        "%",
        "higher",
        "90",
        "80",
        "70",
        "quarterly",
        "Internal audit programme and findings log",
        "P-12",
        "auditor",
        kind="proportion",
        periods=8,
        mean=90.5,
        size=18,
        status="on_target",
    ),
    KpiSpec(
        "csat",
        "Customer satisfaction score",
        "Average score of the quarterly customer survey (1–10) across quality, delivery, "
        "communication and value, weighted by sales.",
        "/10",
        "higher",
        "8",
        "7.5",
        "7",
        "quarterly",
        "Quarterly customer survey",
        "P-11",
        "lfitzgerald",
        decimals=2,
        periods=8,
        mean=8.22,
        sd=0.16,
        status="on_target",
    ),
    KpiSpec(
        "returns_ppm",
        "Parts returned by customers",
        "Parts returned by customers as nonconforming in the month, per million parts shipped.",
        "ppm",
        "lower",
        "500",
        "800",
        "1200",
        "monthly",
        "Returns (RMA) log and ERP shipments",
        "P-11",
        "lfitzgerald",
        decimals=0,
        periods=24,
        mean=420,
        sd=95,
        status="on_target",
    ),
    KpiSpec(
        "pm",
        "Preventive maintenance done on schedule",
        "Preventive maintenance work orders done in the week they were planned, out of those "
        "planned in the month.",
        "%",
        "higher",
        "95",
        "90",
        "85",
        "monthly",
        "Maintenance plan and work orders",
        "P-08",
        "bkavanagh",
        kind="proportion",
        periods=12,
        mean=87.0,
        size=64,
        status="off_target",
        missing=True,
    ),
    KpiSpec(
        "quote",
        "Quotation turnaround",
        "Average working days from a complete enquiry to the quotation sent, over the "
        "quotations of the month.",
        "days",
        "lower",
        "3",
        "4",
        "5",
        "monthly",
        "CRM enquiries and quotations",
        "P-01",
        "noconnor",
        periods=12,
        mean=3.35,
        sd=0.3,
        status="at_risk",
    ),
    KpiSpec(
        "cmm_queue",
        "CMM queue at the Limerick metrology lab",
        "Average working days from parts arriving at the metrology lab to the CMM report, "
        "over the jobs of the month.",
        "days",
        "lower",
        "2",
        "3",
        "5",
        "monthly",
        "Metrology lab job log",
        "P-06",
        "emccarthy",
        age=12,
    ),
    KpiSpec(
        "udi",
        "UDI marks graded A or B first time",
        "UDI data matrix marks graded A or B by the verifier first time, out of all marks "
        "verified in the month.",
        "%",
        "higher",
        "99.5",
        "99",
        "98",
        "monthly",
        "Verifier log of the laser marker",
        "P-04",
        "oadeyemi",
        kind="proportion",
        age=20,
    ),
    KpiSpec(
        "ncs",
        "Nonconformities reported",
        "Nonconformities detected in the month, of every source, counted by Hoshin from the "
        "nonconformity register.",
        "",
        "lower",
        "10",
        "12",
        "15",
        "monthly",
        "Hoshin: nonconformity register",
        "P-12",
        "quality",
        decimals=0,
        automatic="nonconformities",
    ),
    KpiSpec(
        "actions",
        "Actions completed on time",
        "Corrective and treatment actions completed by their due date, out of those "
        "completed in the month; computed by Hoshin.",
        "%",
        "higher",
        "90",
        "80",
        "70",
        "monthly",
        "Hoshin: actions on every record",
        "P-12",
        "quality",
        kind="proportion",
        automatic="actions_on_time",
    ),
    KpiSpec(
        "reads",
        "Documents read within 14 days",
        "People asked to read a new document version who confirmed within 14 days, out of "
        "all asked in the month; computed by Hoshin.",
        "%",
        "higher",
        "90",
        "80",
        "65",
        "monthly",
        "Hoshin: read-and-understood requests",
        "P-12",
        "quality",
        kind="proportion",
        automatic="documents_read",
    ),
    KpiSpec(
        "rework",
        "Rework hours – machining",
        "Hours booked to rework orders in machining in the month.",
        "h",
        "lower",
        "120",
        "150",
        "200",
        "monthly",
        "ERP labour bookings on rework orders",
        "P-04",
        "owner",
        decimals=0,
        periods=12,
        mean=131,
        sd=14,
        status="at_risk",
        retired=(
            240,
            "Replaced by first-pass yield – machining, which counts rework and scrap "
            "together from the inspection records.",
        ),
    ),
]


# --- quality objectives -----------------------------------------------------------------


@dataclass(frozen=True)
class ObjectiveSpec:
    key: str
    title: str
    level: str
    owner: str
    description: str
    resources: str
    evaluation: str
    commitments: tuple[str, ...]
    kpis: tuple[str, ...]
    age: int  # drafted this many days ago
    due_months: int  # to be completed this many months after it was drafted
    department: str = ""
    process: str = ""
    approved: int | None = None  # approved by top management, days ago
    then: str = ""  # "achieved" or "cancelled"
    then_age: int = 0
    then_text: str = ""  # outcome notes, or why it was cancelled


OBJECTIVES: list[ObjectiveSpec] = [
    ObjectiveSpec(
        "deliver",
        "95% of order lines delivered on time",
        "organisation",
        "noconnor",
        "Confirm delivery dates from the ERP capacity plan instead of standard lead times; "
        "a weekly sales and operations meeting; delivery performance reviewed each month "
        "with the five largest suppliers; quotations out within three working days.",
        "ERP capacity planning module (budget €18,000); two hours a week of the S&OP team; "
        "supplier development time of the Pune sourcing office.",
        "On-time delivery (KPI) each month against 95%, reviewed at the S&OP meeting and at "
        "management review; achieved when 95% or more for the last three months of the "
        "period.",
        ("customer", "requirements"),
        ("otd", "supplier_otd", "quote"),
        age=318,
        due_months=12,
        approved=305,
    ),
    ObjectiveSpec(
        "scrap",
        "Scrap below 1.5% of sales",
        "organisation",
        "owner",
        "Cut the cost of poor quality: first-pass yield of 97% in machining and 98.5% in "
        "assembly through SPC on the critical features, first-off approval by inspection, "
        "and a monthly scrap Pareto reviewed by the production team.",
        "Process engineer (SPC) half time; SPC software licences (€6,500); inspection time "
        "for first-off approval.",
        "Scrap cost as % of sales and both first-pass yields (KPIs) monthly; reviewed at the "
        "monthly operations review and at management review.",
        ("improvement", "requirements"),
        ("scrap", "fpy_m", "fpy_a"),
        age=318,
        due_months=12,
        approved=305,
    ),
    ObjectiveSpec(
        "customers",
        "Fewer complaints, more satisfied customers",
        "organisation",
        "lfitzgerald",
        "No more than three customer complaints a month and a satisfaction score of 8 out of "
        "10: every complaint answered within 48 hours with an 8D for the justified ones; "
        "quarterly survey results shared with the teams.",
        "Customer service lead and coordinator; quality engineer for 8D reports; survey tool.",
        "Complaints, returns (ppm) and the satisfaction score (KPIs), reviewed monthly by "
        "customer service and quarterly at management review.",
        ("customer", "improvement"),
        ("complaints", "csat", "returns_ppm"),
        age=318,
        due_months=12,
        approved=305,
    ),
    ObjectiveSpec(
        "trained",
        "Every operator trained before working unsupervised",
        "department",
        "fgallagher",
        "Training plan completed on time for 95% of trainings, agency staff included; "
        "induction signed before the first shift; new documents read within two weeks.",
        "Training coordinator; supervisors' time for on-the-job training (2 h a week per "
        "line); e-learning licences.",
        "Training plan completion and documents read within 14 days (KPIs), monthly; audit "
        "of the skills matrix at each internal audit.",
        ("requirements",),
        ("training", "reads"),
        age=300,
        due_months=12,
        department="Human resources",
        approved=290,
    ),
    ObjectiveSpec(
        "loops",
        "Actions and audit findings closed on time",
        "department",
        "quality",
        "90% of corrective and treatment actions and of internal audit findings closed by "
        "their due date: weekly overdue list to owners, monthly review at the operations "
        "meeting.",
        "Quality engineer two hours a week; Hoshin reminders and overdue lists.",
        "Actions on time, audit findings on time and nonconformities reported (KPIs), "
        "monthly; trend reported at management review.",
        ("improvement",),
        ("actions", "audit_findings", "ncs"),
        age=300,
        due_months=12,
        department="Quality",
        approved=290,
    ),
    ObjectiveSpec(
        "oee",
        "OEE of the 5-axis cell from 58% to 65%",
        "process",
        "owner",
        "Quick changeovers (SMED) on the Hermle C 32, unattended night running on the DMU 50 "
        "pallet system, and planned maintenance of both machines.",
        "Manufacturing engineer half time for six months; SMED kit and zero-point clamping "
        "(€22,000); probing and tool-life monitoring.",
        "Weekly OEE and unplanned downtime (KPIs); achieved when the OEE stays above 65% for "
        "eight weeks running.",
        ("improvement",),
        ("oee", "downtime"),
        age=270,
        due_months=10,
        process="P-04",
        approved=262,
        then="achieved",
        then_age=14,
        then_text="Achieved: OEE averaged {oee_last}% over the last eight weeks, up from "
        "{oee_first}% in the first eight weeks measured, with unplanned downtime at "
        "{downtime_last} h a week. Changeovers on the Hermle down from 75 to 28 minutes.",
    ),
    ObjectiveSpec(
        "cmm",
        "CMM results within two working days once the Limerick lab opens",
        "process",
        "emccarthy",
        "Move CMM inspection of assembly parts to the new Limerick metrology lab, with "
        "programs written offline, so that parts wait no more than two working days for "
        "their CMM report.",
        "Second Zeiss CMM and Calypso licence (in the lab budget); two inspectors trained in "
        "CMM programming.",
        "CMM queue at the lab and the CMM's %GRR (KPIs), monthly once the lab is open.",
        ("requirements", "customer"),
        ("cmm_queue", "grr"),
        age=9,
        due_months=6,
        process="P-06",
    ),
    ObjectiveSpec(
        "cmms",
        "Maintenance and calibration in one CMMS",
        "department",
        "owner",
        "Replace the maintenance spreadsheets and the calibration register with a CMMS: "
        "planned maintenance at 95% on schedule and no instrument used past its "
        "calibration date.",
        "CMMS licence (€9,000 a year); maintenance supervisor's time for the data migration.",
        "Preventive maintenance on schedule and instruments past their calibration date "
        "(KPIs), monthly.",
        ("requirements", "improvement"),
        ("pm", "cal_overdue"),
        age=318,
        due_months=10,
        department="Maintenance and calibration",
        approved=305,
        then="cancelled",
        then_age=230,
        then_text="Cancelled at management review: the ERP project ({CHG-routing}) brings "
        "a maintenance and calibration module, so a separate CMMS is no longer needed. "
        "Planned maintenance and calibration recall are followed through the risk register "
        "and their KPIs.",
    ),
]


# --- changes to the QMS -------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeSpec:
    key: str
    title: str
    owner: str
    purpose: str
    consequences: str
    integrity: str
    resources: str
    responsibilities: str
    implementation: str
    review: str
    documents: tuple[str, ...]  # titles
    processes: tuple[str, ...]
    risks: tuple[str, ...]
    age: int  # proposed
    planned: int  # planned for, days ago (negative: to come)
    approved: int
    approved_by: str
    started: int
    implemented: int | None = None
    reviewed: int | None = None
    reviewed_by: str = ""


CHANGES: list[ChangeSpec] = [
    ChangeSpec(
        "CHG-routing",
        "Replace the paper traveller with the ERP routing",
        "owner",
        "Paper travellers and printed drawings at the machines let old revisions be used "
        "and lose records; the ERP routing shows each operation, the released drawing "
        "and the inspection to record on a screen at the machine.",
        "Wrong revisions no longer reach the machine; inspection results recorded where the "
        "work is done. During the change, two systems in use at once could confuse "
        "operators; the ERP becomes critical for production.",
        "Cut-over line by line: a line moves only when all its open orders have finished on "
        "paper; paper travellers of moved lines withdrawn the same day; QP-012 and QP-014 "
        "revised before the first line moves; a printed fall-back procedure if the ERP "
        "is down.",
        "ERP routing module and 16 shop-floor screens (€41,000); two weeks of the "
        "manufacturing engineer; training of every operator (1 h each).",
        "Operations Manager: owner and cut-over decisions. Manufacturing engineer: routings "
        "and screens. Quality Manager: document changes and verification. Supervisors: "
        "withdrawal of paper travellers on their lines.",
        "All Galway machining lines and the Limerick assembly lines on the ERP routing; "
        "paper travellers withdrawn and shredded; QP-012 and QP-014 revised; 61 operators "
        "trained.",
        "Audit walks on every shift three and eight weeks after go-live: only released "
        "revisions on screen, no paper traveller found, inspection results complete in the "
        "ERP. Risk {R8} reviewed and lowered. Change effective.",
        (
            "Production planning and control",
            "Product identification and traceability",
            "Assembly of AC-12 pneumatic actuators",
        ),
        ("P-04", "P-05", "P-06"),
        ("R8", "R17"),
        age=292,
        planned=100,
        approved=272,
        approved_by="ceo",
        started=250,
        implemented=95,
        reviewed=33,
        reviewed_by="quality",
    ),
    ChangeSpec(
        "CHG-cmm",
        "Move CMM inspection to the new Limerick metrology lab",
        "emccarthy",
        "The single CMM at Galway is a bottleneck for final inspection; a temperature-"
        "controlled metrology lab at Limerick with a second CMM takes the assembly parts "
        "and frees the Galway CMM for machined parts.",
        "Shorter queues for CMM reports; a second CMM when one is down. Risk while moving: "
        "CMM programs and correlation between the two machines; parts shipped between "
        "sites for measurement.",
        "The Galway CMM keeps measuring everything until the Limerick CMM is accepted; "
        "correlation study on 30 parts before any release from Limerick; WI-003 and the "
        "calibration register updated before go-live.",
        "Zeiss Contura CMM and Calypso licence (€165,000); lab fit-out with temperature "
        "control (€48,000); training of two inspectors.",
        "Inspection and Test Supervisor: owner. Metrology technician: programs and "
        "correlation. Maintenance and calibration: lab conditions and calibration. Quality "
        "Manager: acceptance of the correlation study.",
        "",
        "",
        (
            "CMM inspection of bore diameters",
            "Control of monitoring and measuring equipment",
            "First-article inspection",
        ),
        ("P-06", "P-09"),
        ("R3", "O2"),
        age=72,
        planned=-45,
        approved=52,
        approved_by="ceo",
        started=31,
    ),
]
