"""The controlled documents of the demo manufacturer (see :mod:`hoshin.support.demo`).

Pure data: each :class:`Doc` is a register entry with the text of its first version,
the changes that made each later version (with the reason given at the time), when
each version came into force, who reviews and approves it, who must read it, and what
is happening to it now (a version in review, a draft, an obsolete document...).

The numbers in the texts (QP-005, WI-002, FRM-001...) are the numbers the documents
get when they are created in this order, one running number per type.
"""

# The demo text is written as people write: en dashes, multiplication signs, ± and Ø.
# ruff: noqa: RUF001

from __future__ import annotations

from dataclasses import dataclass

Edit = tuple[str, str]  # (text in the version before, text in this version)


@dataclass(frozen=True)
class Revision:
    """How a version differs from the one before: the reason and the text edits."""

    reason: str
    edits: tuple[Edit, ...] = ()


def change(reason: str, *edits: Edit) -> Revision:
    return Revision(reason, edits)


@dataclass(frozen=True)
class Rejection:
    """The first round of review of ``version`` ended with a change requested."""

    version: int
    by: str
    comment: str
    fix: tuple[Edit, ...]


@dataclass(frozen=True)
class Then:
    """What is going on after the versions in force.

    kind: "review" (the next version waits for signatures; ``signed`` have signed),
    "draft" (the next version is being written), "revise" (a periodic review asked
    for a new version, now a draft), "future" (approved, in force in ``age`` days),
    "obsolete" or "close" (``age`` days ago).
    """

    kind: str
    age: int = 0
    signed: tuple[str, ...] = ()
    comment: str = ""


@dataclass(frozen=True)
class Doc:
    prefix: str
    title: str
    owner: str
    body: str
    # Days ago each version came into force, oldest first. Revisions beyond these
    # belong to the version still being worked on (see ``then``).
    ages: tuple[int, ...] = ()
    revisions: tuple[Revision, ...] = ()
    process: str = ""
    site: str = ""
    description: str = ""
    author: str = ""  # default: the owner
    reviewers: tuple[str, ...] = ()
    approvers: tuple[str, ...] = ()
    in_order: bool = False
    confidentiality: str = "internal"
    access: tuple[str, ...] = ()
    readers: tuple[str, ...] = ()
    reader_roles: tuple[str, ...] = ()
    reader_departments: tuple[str, ...] = ()
    issuer: str = ""
    review_months: int | None = None  # default: the type's
    retention_years: int | None = None  # default: the type's (records)
    disposition: str = "keep"
    then: Then | None = None
    rejection: Rejection | None = None
    overdue: bool = False  # its periodic review is left overdue
    first_reason: str = ""  # default: "First issue." and the like

    @property
    def then_number(self) -> int:
        """The number of the version being worked on now (0: none)."""
        if self.then is None or self.then.kind not in ("review", "draft", "revise", "future"):
            return 0
        return len(self.ages) + 1


EVERYONE = ("top_management", "quality_manager", "process_owner", "internal_auditor", "employee")

# ==================================================================================
# Policies, scope, manual
# ==================================================================================

QUALITY_POLICY = """\
## Our purpose

Kestrel Precision Components Ltd machines and assembles precision components for
companies that build medical devices, aircraft systems and vehicles. Our parts end up
inside products that people rely on, so getting them right – every part, every time –
is the heart of what we do.

## Our commitments

Top management, and everyone who works at Kestrel, commits to:

1. **Meeting customer requirements.** We understand what each customer needs –
   drawing, specification, quantity and delivery date – before we accept an order, and
   we deliver parts that conform, on time.
2. **Meeting applicable requirements.** We comply with the statutory and regulatory
   requirements that apply to our products and sites, and with the quality
   requirements our customers flow down to us.
3. **Continual improvement.** We measure how our processes perform, learn from
   nonconformities, complaints and audits, and improve the effectiveness of our quality
   management system.
4. **A framework for quality objectives.** This policy is the framework for our quality
   objectives. Each year top management sets measurable objectives for on-time
   delivery, customer-reported defects, internal scrap and supplier performance, and
   reviews progress at management review.
5. **Competent, involved people.** We train our people, give them the information and
   equipment they need, and expect everyone to stop and raise a problem when something
   is not right.

## How we use this policy

- It is displayed at Galway and Limerick, explained at induction and available to
  interested parties on request.
- It is reviewed every year at management review for continuing suitability.

**Aoife Brennan**, Chief Executive Officer
"""

SALARY_SCHEME = """\
## 1. Purpose

This scheme sets out how roles at Kestrel are graded and how pay is set and reviewed,
so that people doing work of equal value are paid fairly and consistently across
Galway, Limerick and Pune.

## 2. Grades

| Grade | Typical roles | Salary band (EUR, Ireland) |
|---|---|---|
| G1 | Operator, warehouse operative, assembly operator | 29,500 – 35,000 |
| G2 | CNC machinist, test technician, buyer, coordinator | 34,000 – 42,500 |
| G3 | CNC setter, shift lead, technician, engineer | 41,000 – 55,000 |
| G4 | Senior engineer, supervisor, specialist | 52,000 – 68,000 |
| G5 | Manager | 65,000 – 88,000 |
| G6 | Director | by the remuneration committee |

Pune roles are graded on the same scale; bands in INR are set each year from local
market data and kept in the HR system.

## 3. Placing a role in a grade

1. HR evaluates the role description against the grading factors: knowledge and
   skills, problem solving, responsibility for people, responsibility for product
   quality and safety.
2. The HR Manager and the Finance Director agree the grade.
3. A role description that changes by more than a third is evaluated again.

## 4. Pay review

1. Pay is reviewed once a year, effective 1 April.
2. The budget for increases is agreed by the CEO and the Finance Director in February.
3. Managers propose increases within the band; HR checks them for consistency and for
   gender pay gaps before approval.
4. Skills-matrix progression (QP-009) to level 3 or 4 in a key skill moves a machinist
   or technician up one step within the band.

## 5. Confidentiality

Individual pay is confidential to the person, their manager, HR and Finance.
"""

SUPPLIER_CODE = """\
## 1. Why this code

Kestrel's customers trust us to deliver parts that are safe and made responsibly. We
can only keep that trust if our own suppliers share the same standards. This code sets
out what we expect of every supplier of material, parts and services.

## 2. Quality

- Work to the requirements on the purchase order, including the drawing revision and
  any quality clauses (QP-006).
- Tell us before you change anything that could affect our parts: material source,
  process, site, sub-tier supplier or key equipment. Do not ship changed product
  without our written approval.
- Keep records of material certificates and inspection for at least ten years.
- Let us, and our customers, audit your site with reasonable notice.

## 3. People

- No forced, bonded or child labour; working hours and wages meet local law.
- A safe and healthy workplace, with training and protective equipment provided free.
- Freedom of association and no discrimination.

## 4. Business integrity

- No bribes, facilitation payments or improper gifts.
- Protect our drawings and our customers' information; use them only for our orders.
- Declare any conflict of interest with a Kestrel employee.

## 5. Environment

- Comply with environmental permits; reduce waste, energy use and emissions.
- Declare substances restricted under REACH and RoHS in the materials you supply.

## 6. Raising a concern

Contact the Supply Chain Manager or write to ethics@example.com. Concerns are handled
confidentially and without retaliation.
"""

QMS_SCOPE = """\
## 1. Organisation

Kestrel Precision Components Ltd ("Kestrel") is a privately owned precision
engineering company with about 140 people, founded in Galway in 1994.

## 2. Scope statement

*The manufacture and supply of precision machined components in stainless steel,
alloy steel, aluminium and brass to customer design, and the design, assembly and test
of pneumatic actuators and valve assemblies, for customers in the medical device,
aerospace and automotive industries.*

## 3. Sites

| Site | Address | Activities in scope |
|---|---|---|
| Galway – main plant | Unit 4, Parkmore West Business Park, Galway, Ireland | CNC turning and milling, inspection, cleaning and passivation, packaging and despatch; management, sales, engineering, HR |
| Limerick – assembly and test | Building 12, Raheen Business Park, Limerick, Ireland | Assembly and pressure testing of actuators and valve assemblies; warehouse and supply chain |

## 4. Products

- **Machined components to customer drawings (build-to-print):** valve housings,
  shafts, brackets, flanges, manifold blocks and check valve bodies. Typical customers:
  Celtic MedTech (surgical handpiece and pump components), Aerodyn Controls (actuation
  components for aircraft systems), Vantor Automotive (fuel and brake system parts).
- **Kestrel-designed products:** double-acting and spring-return pneumatic actuators
  (AC-12, AC-16) and two-way valve assemblies (VA-900).

## 5. Requirements that do not apply

| Requirement | Why it does not apply |
|---|---|
| ISO 9001 8.3 for build-to-print components | The customer owns and controls the design; Kestrel machines to the customer's released drawing. 8.3 applies in full to the actuators and valve assemblies Kestrel designs (QP-011). |
| Sterile medical device requirements (ISO 13485 7.5.5, 7.5.7) | Medical parts are supplied clean and non-sterile; the customer sterilises the finished device. |
| Implantable devices (ISO 13485 7.5.9.2) | Kestrel does not make implantable parts. |

No other requirement of ISO 9001:2015 is excluded. These decisions do not affect
Kestrel's ability or responsibility to ensure conforming products and customer
satisfaction.

## 6. Outsourced processes

Controlled as externally provided processes under QP-006:

- heat treatment of 42CrMo4 shafts;
- hard anodising of aluminium parts (Anodica Surface Finishing);
- forging of 316 housing blanks (Kaveri Forgings, India);
- calibration of reference standards and the CMM (accredited laboratories).

## 7. Interested parties

Customers, their regulators and notified bodies (through the customers' quality
agreements), employees, suppliers, the certification body NordCert Assurance, and
the local authorities that issue our environmental and building permits. Their
relevant requirements are reviewed at management review (QP-004).
"""

QUALITY_MANUAL = """\
## 1. About this manual

This manual describes the quality management system (QMS) of Kestrel Precision
Components Ltd and shows where each requirement of ISO 9001:2015 is met. It is written
for our people, our customers and our auditors. The scope of the QMS is defined in
SCP-001; the quality policy is POL-001.

## 2. The organisation

Kestrel machines precision components at its main plant in Galway and assembles and
tests actuators and valve assemblies at Limerick. Top management is the Chief Executive
Officer, the Finance Director and the Sales Director. The Quality Manager reports to
the CEO and has the authority to stop shipment of any product.

## 3. Processes

| Code | Process | Owner | Main documents |
|---|---|---|---|
| P-01 | Sales and order handling | Sales Director | QP-002 |
| P-02 | Design and development | Engineering Manager | QP-011, QP-007 |
| P-03 | Purchasing and supplier management | Supply Chain Manager | QP-006 |
| P-04 | Production – machining | Operations Manager | QP-012, WI-001, WI-002 |
| P-05 | Production – assembly | Assembly Plant Manager | QP-012, WI-010 |
| P-06 | Inspection and testing | Quality Manager | WI-003, WI-004, QP-014 |
| P-07 | Warehouse and dispatch | Supply Chain Manager | WI-005, SPC-001 |
| P-08 | Maintenance | Operations Manager | maintenance plans in the CMMS |
| P-09 | Calibration | Quality Manager | QP-008 |
| P-10 | HR and training | HR Manager | QP-009 |
| P-11 | Customer service | Customer Service Lead | QP-010 |
| P-12 | Quality management and improvement | Quality Manager | QP-001, QP-003, QP-004, QP-005, QP-013 |

Each process owner monitors their process with the indicators agreed at management
review and acts when a target is missed.

## 4. Leadership and planning (ISO 9001 clauses 5 and 6)

Top management sets the quality policy and the quality objectives, provides the
resources, and reviews the QMS each year (QP-004). Risks and opportunities are
identified per process and tracked as described in QP-013.

## 5. Support (clause 7)

- **People and competence:** QP-009.
- **Monitoring and measuring resources:** QP-008; every gauge is identified,
  calibrated and recalled on time.
- **Documented information:** QP-001. Documents are kept in Hoshin; paper copies are
  uncontrolled unless stamped "controlled copy".

## 6. Operation (clause 8)

Orders are reviewed before acceptance (QP-002). Production is planned and released
with the current drawing, work instruction and control plan (QP-012). Parts are
identified and traceable to material heat and production order (QP-014). Suppliers
are selected, approved and evaluated under QP-006. Nonconforming product is
identified, segregated and dispositioned under QP-005.

## 7. Performance evaluation and improvement (clauses 9 and 10)

Internal audits follow a risk-based programme (QP-003, PLN-002). Customer satisfaction
and complaints are handled under QP-010. Nonconformities and corrective actions are
managed under QP-005, and changes under QP-007.

## 8. Cross-reference to ISO 9001:2015

| Clause | Where |
|---|---|
| 4 Context | SCP-001, QP-013, this manual |
| 5 Leadership | POL-001, section 2 |
| 6 Planning | QP-013, quality objectives |
| 7 Support | QP-001, QP-008, QP-009 |
| 8 Operation | QP-002, QP-006, QP-007, QP-011, QP-012, QP-014 |
| 9 Performance evaluation | QP-003, QP-004, QP-010 |
| 10 Improvement | QP-005 |
"""

POLICIES = [
    Doc(
        "POL",
        "Quality policy",
        "ceo",
        QUALITY_POLICY,
        author="quality",
        process="P-12",
        description="The commitments of top management on quality; the framework for the "
        "quality objectives (ISO 9001 5.2).",
        reviewers=("owner", "noconnor"),
        approvers=("ceo",),
        confidentiality="public",
        reader_roles=EVERYONE,
        ages=(1040, 560, 150),
        revisions=(
            change(
                "Pune sourcing office now in the scope; the quality agreements of our medical "
                "device customers (traceability, change notification) made explicit.",
                (
                    "displayed at Galway and Limerick,",
                    "displayed at Galway, Limerick and Pune,",
                ),
                (
                    "requirements our customers flow down to us.",
                    "requirements our customers flow down to us. For parts used in medical\n"
                    "   devices this includes the traceability, cleanliness and change-notification\n"
                    "   requirements of our customers' quality agreements.",
                ),
            ),
            change(
                "Annual review: ISO 9001:2015/Amd 1:2024 asks us to consider climate change; "
                "quality objectives are now tracked in the objectives register.",
                (
                    "delivery, customer-reported defects, internal scrap and supplier performance, and\n"
                    "   reviews progress at management review.",
                    "delivery, customer-reported defects, internal scrap and supplier performance,\n"
                    "   records them in the quality objectives register, and reviews progress at\n"
                    "   management review.",
                ),
                (
                    "   is not right.\n",
                    "   is not right.\n"
                    "6. **Responsibility for our impact.** We consider climate change and our\n"
                    "   environmental impact when we plan our processes, choose suppliers and invest\n"
                    "   in equipment.\n",
                ),
            ),
        ),
    ),
    Doc(
        "POL",
        "Salary and grading scheme",
        "fgallagher",
        SALARY_SCHEME,
        process="P-10",
        description="Grades, salary bands and the annual pay review.",
        approvers=("dmurphy", "ceo"),
        confidentiality="confidential",
        access=("ceo", "dmurphy"),
        ages=(720, 330),
        revisions=(
            change(
                "Annual pay review: bands raised by 4% in line with the agreed budget; "
                "G3 band widened to cover senior CNC setters.",
                (
                    "| G1 | Operator, warehouse operative, assembly operator | 29,500 – 35,000 |",
                    "| G1 | Operator, warehouse operative, assembly operator | 30,700 – 36,400 |",
                ),
                (
                    "| G2 | CNC machinist, test technician, buyer, coordinator | 34,000 – 42,500 |",
                    "| G2 | CNC machinist, test technician, buyer, coordinator | 35,400 – 44,200 |",
                ),
                (
                    "| G3 | CNC setter, shift lead, technician, engineer | 41,000 – 55,000 |",
                    "| G3 | CNC setter, senior CNC setter, shift lead, technician, engineer | 42,600 – 58,500 |",
                ),
                (
                    "| G4 | Senior engineer, supervisor, specialist | 52,000 – 68,000 |",
                    "| G4 | Senior engineer, supervisor, specialist | 54,100 – 70,700 |",
                ),
                ("| G5 | Manager | 65,000 – 88,000 |", "| G5 | Manager | 67,600 – 91,500 |"),
            ),
        ),
    ),
    Doc(
        "POL",
        "Supplier code of conduct",
        "sbyrne",
        SUPPLIER_CODE,
        process="P-03",
        description="What Kestrel expects of every supplier: quality, people, integrity, "
        "environment. Sent with every new supplier approval.",
        reviewers=("quality",),
        approvers=("dmurphy",),
        confidentiality="public",
        readers=("rhealy", "adeshpande", "riyer"),
        ages=(800, 260),
        revisions=(
            change(
                "Conflict minerals and REACH SVHC declarations asked for by aerospace customers.",
                (
                    "- Declare substances restricted under REACH and RoHS in the materials you supply.",
                    "- Declare substances restricted under REACH and RoHS in the materials you supply,\n"
                    "  including substances of very high concern (SVHC) above 0.1% by weight.\n"
                    "- Source tin, tantalum, tungsten and gold responsibly and complete the conflict\n"
                    "  minerals reporting template when asked.",
                ),
            ),
        ),
    ),
]

SCOPE_AND_MANUAL = [
    Doc(
        "SCP",
        "Scope of the quality management system",
        "quality",
        QMS_SCOPE,
        process="P-12",
        description="Sites, products and activities covered by the QMS, and the requirements "
        "that do not apply, with the reasons (ISO 9001 4.3).",
        reviewers=("owner", "noconnor"),
        approvers=("ceo",),
        confidentiality="public",
        reader_roles=("top_management", "process_owner", "internal_auditor"),
        ages=(1040, 600, 130),
        revisions=(
            change(
                "Pune sourcing office opened: supplier selection, development and source "
                "inspection of India-based suppliers added to the scope.",
                (
                    "| Limerick – assembly and test | Building 12, Raheen Business Park, Limerick, Ireland | Assembly and pressure testing of actuators and valve assemblies; warehouse and supply chain |",
                    "| Limerick – assembly and test | Building 12, Raheen Business Park, Limerick, Ireland | Assembly and pressure testing of actuators and valve assemblies; warehouse and supply chain |\n"
                    "| Pune – sourcing office | 3rd floor, Baner Business Centre, Pune 411045, India | Supplier selection and development, source inspection before shipment from India-based suppliers |",
                ),
                ("about 140 people", "about 150 people"),
            ),
            change(
                "Annual review: electropolishing now outsourced; climate change considered as "
                "an issue (ISO 9001:2015/Amd 1:2024).",
                (
                    "- hard anodising of aluminium parts (Anodica Surface Finishing);",
                    "- hard anodising of aluminium parts (Anodica Surface Finishing);\n"
                    "- electropolishing of 316 medical parts (Lustra Finishing Ltd);",
                ),
                (
                    "relevant requirements are reviewed at management review (QP-004).",
                    "relevant requirements are reviewed at management review (QP-004).\n\n"
                    "Climate change has been considered as an issue (ISO 9001 4.1, Amd 1:2024): "
                    "customers ask\nfor energy and carbon data, and flooding risk at Limerick is "
                    "covered in the risk\nregister (QP-013). It does not change the boundaries of "
                    "this scope.",
                ),
            ),
        ),
    ),
    Doc(
        "QM",
        "Quality manual",
        "quality",
        QUALITY_MANUAL,
        process="P-12",
        description="How the QMS is organised: processes, owners and where each requirement "
        "of ISO 9001 is met.",
        reviewers=("owner", "emccarthy"),
        approvers=("ceo",),
        confidentiality="public",
        reader_roles=("process_owner", "internal_auditor"),
        ages=(1030, 420),
        revisions=(
            change(
                "Process owners updated after the reorganisation: calibration moved to the "
                "Operations Manager; inspection and test now a process of its own (P-06).",
                (
                    "| P-06 | Inspection and testing | Quality Manager | WI-003, WI-004, QP-014 |",
                    "| P-06 | Inspection and testing | Inspection and Test Supervisor | WI-003, WI-004, QP-014 |",
                ),
                (
                    "| P-09 | Calibration | Quality Manager | QP-008 |",
                    "| P-09 | Calibration | Operations Manager | QP-008 |",
                ),
            ),
            change(
                "Manual aligned with ISO 9001:2015/Amd 1:2024 and the new UDI marking process; "
                "process map references updated.",
                (
                    "Each process owner monitors their process with the indicators agreed at management\n"
                    "review and acts when a target is missed.",
                    "Each process owner monitors their process with the indicators agreed at management\n"
                    "review and acts when a target is missed. Indicators and their targets are kept in\n"
                    "Hoshin with the process.",
                ),
                (
                    "identified per process and tracked as described in QP-013.",
                    "identified per process and tracked as described in QP-013, including those arising\n"
                    "from climate change (ISO 9001:2015/Amd 1:2024).",
                ),
                (
                    "identified and traceable to material heat and production order (QP-014).",
                    "identified and traceable to material heat and production order (QP-014); medical\n"
                    "parts carry a laser-marked UDI to SPC-004.",
                ),
            ),
        ),
        then=Then("review", age=4, signed=("owner", "emccarthy")),
    ),
]

# ==================================================================================
# Procedures
# ==================================================================================

QP_DOCUMENTS = """\
## 1. Purpose

To make sure that the documents people work to are the right ones – reviewed, approved,
current and available where they are used – and that records are kept, protected and
disposed of in a controlled way (ISO 9001 7.5).

## 2. Scope

All documents of the QMS (policies, procedures, work instructions, forms,
specifications, plans), documents of external origin (standards, customer drawings and
specifications) and quality records, at all sites. Engineering drawings are controlled
in the PDM system under QP-007 and are not covered here.

## 3. Responsibilities

| Role | Responsibility |
|---|---|
| Quality Manager | Owns this procedure and the master list; approves document types and numbering; may edit any document |
| Document owner | Keeps the document correct and current; starts new versions; carries out periodic reviews |
| Reviewer | Checks the content is correct and workable for their area, then signs |
| Approver | Authorises the document for use, then signs |
| All employees | Work only to the version in force; confirm read-and-understood when asked |

## 4. Procedure

### 4.1 Creating a document

1. The owner (or the Quality Manager) creates the document in Hoshin, choosing its
   type; Hoshin gives it the next number of that type.
2. The owner states the purpose and scope, the process it belongs to, who must read
   it and its confidentiality (public, internal or confidential).
3. The owner writes the first version, or uploads the file, and gives the reason.

### 4.2 Numbering

| Type | Prefix | Example | Periodic review |
|---|---|---|---|
| Policy | POL | POL-001 | 12 months |
| QMS scope | SCP | SCP-001 | 12 months |
| Quality manual | QM | QM-001 | 24 months |
| Procedure | QP | QP-005 | 24 months |
| Work instruction | WI | WI-012 | 24 months |
| Form | FRM | FRM-003 | 36 months |
| Specification | SPC | SPC-002 | 24 months |
| Plan | PLN | PLN-001 | 12 months |
| External document | EXT | EXT-004 | 12 months or none |
| Record | REC | REC-010 | none (retention applies) |

### 4.3 Review and approval

1. The author submits the version with at least one approver; reviewers are usually
   the owners of the processes it affects. The author never reviews or approves their
   own version.
2. Reviewers sign first, in parallel or in the order set by the author; approvers sign
   after all reviewers. Each signature is an electronic signature (password
   re-entered) with its meaning: reviewed or approved.
3. A reviewer who finds a problem sends the version back with a comment; the author
   corrects it and submits again. The earlier round stays on record.

### 4.4 Effective date and distribution

1. An approved version comes into force on its effective date, or at once if none was
   set; the version before is superseded at the same moment.
2. The owner briefs the people affected and records the briefing on the training
   record FRM-003.

### 4.5 Periodic review

The owner reviews each document by its review date. "Still valid" is signed and moves
the next review on; "needs a new version" starts a draft with the reason.

### 4.6 Obsolete documents

A document no longer needed is made obsolete with a reason. It stays readable in the
archive, clearly marked; printed copies are collected and destroyed by the owner.

### 4.7 Documents of external origin

Standards and customer documents are registered as external documents with their
issuer and edition. The owner checks yearly, or on notice from the customer, that the
edition held is current.

### 4.8 Records

Records are kept legible, identifiable and retrievable. When a record is complete it
is closed; it can then no longer be changed. At the end of its retention period the
Quality Manager archives or destroys it as its disposition says.

| Record | Retention | Disposition |
|---|---|---|
| Management review minutes | 10 years | Archive |
| Internal audit reports | 7 years | Archive |
| Calibration certificates | 7 years | Destroy |
| Training records | Employment + 6 years | Destroy |
| Inspection and test records, certificates of conformity | 10 years | Archive |

## 5. Records

The master list of documents, approval signatures, read-and-understood confirmations
and periodic reviews – all kept in Hoshin with their audit trail.

## 6. References

ISO 9001:2015 7.5; ISO 13485:2016 4.2.4 and 4.2.5; QM-001.
"""

QP_CONTRACT = """\
## 1. Purpose

To confirm, before Kestrel commits to supply, that we understand the customer's
requirements and can meet them – and to handle changes to orders (ISO 9001 8.2).

## 2. Scope

Quotations, new orders, repeat orders and order amendments for all products, at
Galway and Limerick.

## 3. Responsibilities

- **Sales Director:** owns this procedure; approves quotations above €50,000 or with
  non-standard terms.
- **Customer Service Lead:** enters and reviews orders; sends order acknowledgements.
- **Engineering:** reviews drawings and specifications of new parts and new revisions.
- **Quality:** reviews special quality requirements (quality agreements, PPAP, FAI).
- **Supply chain and production planning:** confirm material availability and capacity.

## 4. Procedure

1. **Enquiry.** Log the enquiry with the customer's drawing number and revision,
   quantity, required date and any specifications called up.
2. **Feasibility.** For a new part or revision, engineering reviews the drawing with
   the contract review checklist FRM-005: material, tolerances we can hold, special
   processes, inspection capability, marking and packaging.
3. **Quotation.** Price from the costing sheet; state drawing revision, lead time and
   any exceptions taken. Quotations are valid for 30 days.
4. **Order review.** When the order arrives, compare it with the quotation: part
   number, revision, quantity, price, delivery date, quality clauses, certificates
   required. Differences are resolved with the customer before acceptance.
5. **Delivery date.** Confirm the date against the material lead time.
6. **Acknowledgement.** Send the order acknowledgement within two working days.
7. **Amendments.** A change from the customer is reviewed as a new order; production
   and supply chain are told of the change the same day, and superseded paperwork is
   withdrawn.

## 5. Records

Completed FRM-005 for new parts, quotation, order acknowledgement, record of
amendments – kept with the order in the ERP.

## 6. References

ISO 9001:2015 8.2; customer quality agreements; FRM-005.
"""

QP_AUDIT = """\
## 1. Purpose

To find out, by planned internal audits, whether the QMS conforms to our own
requirements and to ISO 9001, and whether it is effectively implemented and
maintained (ISO 9001 9.2).

## 2. Scope

All processes P-01 to P-12 at all sites, including outsourced processes where we have
the right to audit.

## 3. Responsibilities

| Role | Responsibility |
|---|---|
| Quality Manager | Owns the audit programme PLN-002; appoints auditors; reports results to management review |
| Lead auditor | Plans, conducts and reports the audit; verifies corrective actions |
| Auditee (process owner) | Makes people and records available; agrees findings; owns corrective actions |

## 4. Procedure

1. **Programme.** The Quality Manager maintains a 12-month audit programme (PLN-002)
   covering every process at least once a year.
2. **Auditors.** Auditors are trained in ISO 19011 (two-day course or equivalent) and
   do not audit their own work.
3. **Plan.** The lead auditor sends the audit plan – scope, criteria, date, people to
   be interviewed – to the process owner at least one week ahead.
4. **Audit.** Gather evidence by interview, observation and records, sampling across
   shifts and sites.
5. **Findings.** Each finding states the requirement, the evidence and the gap.
   Findings are graded major or minor nonconformity, or observation.
6. **Report.** The report is issued within five working days. Each nonconformity is
   raised in Hoshin and handled under QP-005.
7. **Follow-up.** The auditor verifies the effectiveness of the corrective actions
   before the nonconformity is closed.

## 5. Records

Audit programme, audit plans, reports and nonconformities – in Hoshin.

## 6. References

ISO 9001:2015 9.2; ISO 19011:2018; PLN-002; QP-005.
"""

QP_REVIEW = """\
## 1. Purpose

To make sure top management reviews the QMS at planned intervals so that it stays
suitable, adequate, effective and aligned with the strategic direction of Kestrel
(ISO 9001 9.3).

## 2. Scope

The annual management review and the quarterly quality meetings of the leadership
team.

## 3. Responsibilities

- **CEO:** chairs the review; decides on resources and changes.
- **Quality Manager:** prepares the inputs, writes the minutes, follows up the actions.
- **Process owners:** report on their processes and objectives.

## 4. Procedure

1. The management review is held once a year in the fourth quarter, with a shorter
   quality meeting each quarter.
2. The Quality Manager collects the inputs at least two weeks before:
   - status of actions from previous reviews;
   - changes in external and internal issues;
   - customer satisfaction and feedback from interested parties;
   - quality objectives and process performance;
   - nonconformities and corrective actions;
   - monitoring and measurement results;
   - audit results (internal, customer, certification body);
   - performance of external providers;
   - adequacy of resources;
   - opportunities for improvement.
3. The review decides on improvement opportunities, changes needed to the QMS, and
   resource needs. Every decision gets an owner and a due date.
4. The minutes are approved by the CEO and kept as a record (REC).
5. Actions are tracked in Hoshin until they are done.

## 5. Records

Management review minutes and their actions.

## 6. References

ISO 9001:2015 9.3; QP-013; POL-001.
"""

QP_NC = """\
## 1. Purpose

To make sure that problems – nonconforming product, process failures, complaints,
audit findings – are recorded, contained, investigated to their root cause and
corrected so they do not happen again (ISO 9001 8.7 and 10.2).

## 2. Scope

All nonconformities found at Kestrel, by customers or at suppliers, at all sites.

## 3. Responsibilities

| Role | Responsibility |
|---|---|
| Anyone | Stops, segregates suspect product and reports the nonconformity |
| Process owner | Owns the nonconformity: containment, investigation, corrective action |
| Quality Manager | Authorises concessions; verifies effectiveness; reports trends |
| Internal auditor | May verify effectiveness in place of the Quality Manager |

## 4. Procedure

1. **Report.** Whoever finds the problem reports it on the nonconformance report form
   FRM-001, stating what was found, where and how much.
2. **Identify and segregate.** Suspect product is tagged red and moved to the
   quarantine area of the site.
3. **Contain.** Within 24 hours the process owner decides the containment: stock and
   work in progress checked, customer informed when product may have shipped.
4. **Disposition.** Nonconforming product is reworked, repaired, regraded, scrapped,
   returned to the supplier or – only with the Quality Manager's authorisation and,
   where the contract requires it, the customer's – used as is under concession.
5. **Investigate.** Find the root cause with 5 whys and, for repeated or major
   problems, a fishbone diagram.
6. **Act.** Plan corrective actions with owners and due dates; carry them out and
   keep evidence.
7. **Verify.** Someone other than the owner checks, after enough time or lots, that
   the actions worked, then closes the nonconformity.

## 5. Records

Nonconformance reports with containment, root cause, actions, evidence and
verification; concessions.

## 6. References

ISO 9001:2015 8.7, 10.2; FRM-001; QP-010.
"""

QP_PURCHASING = """\
## 1. Purpose

To make sure that materials, parts and services bought from outside – including
outsourced processes – conform to our requirements (ISO 9001 8.4).

## 2. Scope

All external providers of production material, outsourced processes (heat treatment,
anodising, forging), calibration and inspection services, and tooling.

## 3. Responsibilities

- **Supply Chain Manager:** owns this procedure and the approved supplier list.
- **Buyers:** place purchase orders with the quality requirements flowed down.
- **Quality:** approves new suppliers of production material and outsourced processes;
  performs or arranges audits; handles supplier nonconformities.

## 4. Procedure

1. **Selection.** A new supplier completes the supplier questionnaire and signs the
   supplier code of conduct POL-003.
2. **Approval.** Suppliers of production material and outsourced processes are
   approved by quality after a review of their certification (ISO 9001 at least), a
   sample or first-article approval, and for special processes an on-site audit.
3. **Purchase orders** state the part number and drawing revision, material grade and
   standard, quantity and date, certificates required (EN 10204 3.1 for material),
   and the right of access for Kestrel and its customers.
4. **Verification.** Incoming material is inspected to WI-011; outsourced processes
   are verified by certificate and sample inspection.
5. **Evaluation.** Every quarter each active supplier is scored:

| Criterion | Weight | Measure |
|---|---|---|
| Quality | 40% | Lots accepted / lots received |
| Delivery | 40% | Lines on time (±2 days) / lines received |
| Responsiveness | 20% | Replies to NCs and requests within agreed times |

6. Suppliers scoring below 70% for two quarters are put on a development plan; below
   50%, new orders need the Supply Chain Manager's approval.

## 5. Records

Approved supplier list, approvals and audits, purchase orders, supplier scorecards.

## 6. References

ISO 9001:2015 8.4; POL-003; WI-011; QP-005.
"""

QP_CHANGE = """\
## 1. Purpose

To make sure changes to products are reviewed, approved and communicated before they
are made, so that they do not lead to nonconforming parts (ISO 9001 8.3.6 and 8.5.6).

## 2. Scope

Changes to Kestrel-designed products, to customer drawings and specifications we work
to, and to the documents that control how a part is made.

## 3. Responsibilities

| Role | Responsibility |
|---|---|
| Engineering Manager | Owns this procedure; chairs the change review |
| Change requester | Raises the change request with the reason and the parts affected |
| Quality Manager | Reviews the effect on inspection, validation and customer notification |
| Operations Manager | Reviews the effect on production and stock |

## 4. Procedure

1. **Request.** Anyone may raise a change request on the change form in the PDM
   system: what is to change, why, and which parts are affected.
2. **Classify.** Engineering classifies the change as minor (no effect on form, fit or
   function) or major.
3. **Review.** For a major change, the change review (engineering, quality,
   operations) assesses the effect on: drawings, stock and work in progress,
   inspection, validation, and customer notification. Medical and aerospace customers
   are notified before any major change, as their quality agreements require.
4. **Approve.** The Engineering Manager approves; a change needing customer approval
   waits for it.
5. **Implement.** Release the new drawing revision; decide what happens to stock and
   work in progress at the old revision.
6. **Close.** Confirm the change is in place and effective.

## 5. Records

Change requests, change reviews and approvals, customer notifications.

## 6. References

ISO 9001:2015 8.3.6, 8.5.6; QP-011; customer quality agreements.
"""

QP_CALIBRATION = """\
## 1. Purpose

To make sure measuring equipment used to accept product gives valid, traceable
results (ISO 9001 7.1.5).

## 2. Scope

All gauges and instruments used for product acceptance or process control: hand
gauges, micrometers, bore gauges, thread gauges, height gauges, the CMM, torque
wrenches, pressure transducers and test rigs – including personal tools used for
acceptance.

## 3. Responsibilities

- **Operations Manager:** owns this procedure and the calibration process (P-09).
- **Metrology Technician:** keeps the calibration register, calibrates in-house,
  sends equipment out, labels equipment and recalls overdue items.
- **Users:** check the label before use and never use a damaged, unlabelled or overdue
  gauge.

## 4. Procedure

1. Every item gets a unique number (for example BG-031) and an entry in the
   calibration register with its location and interval.
2. Calibration is traceable to national standards, in-house against reference
   standards calibrated by an accredited (ISO/IEC 17025) laboratory, or by an
   accredited laboratory directly.
3. Intervals:

| Equipment | Interval | By |
|---|---|---|
| Micrometers, calipers | 12 months | In-house |
| Bore gauges, thread gauges | 12 months | In-house |
| Height gauges | 12 months | In-house |
| CMM | 12 months | Accredited laboratory |
| Torque wrenches | 12 months | In-house, on the torque analyser |
| Pressure transducers | 6 months | Accredited laboratory |

4. Calibrated items carry a label with the number and the due date; the result is
   recorded on the calibration record FRM-002.
5. **Out of tolerance.** When an item is found outside its tolerance, the metrology
   technician quarantines it and the Quality Manager assesses which product was
   accepted with it since the last good calibration, and whether it must be recalled.
6. Overdue items are withdrawn from use by the metrology technician each Monday.

## 5. Records

Calibration register, FRM-002 records and external certificates (REC, 7 years).

## 6. References

ISO 9001:2015 7.1.5; ISO 10012; FRM-002.
"""

QP_TRAINING = """\
## 1. Purpose

To make sure everyone whose work affects product quality is competent, on the basis
of education, training and experience, and is aware of the quality policy and of how
they contribute (ISO 9001 7.2 and 7.3).

## 2. Scope

Employees and agency staff at all sites.

## 3. Responsibilities

- **HR Manager:** owns this procedure, the training plan and training records.
- **Managers and supervisors:** identify training needs; assess competence on the job.
- **Training Coordinator:** organises training, keeps the skills matrix.

## 4. Procedure

1. Each role description states the competence required.
2. New starters complete induction on day one: quality policy, safety, document
   control, how to report a nonconformity.
3. Training needs are identified at recruitment, at the annual appraisal, when
   processes or documents change, and after nonconformities.
4. On-the-job training is given by a qualified person to the work instruction.
   Competence is signed off by the supervisor on the training record FRM-003.
5. The skills matrix shows who is qualified for each operation and machine.
6. Read-and-understood confirmations for new document versions count as briefing
   records; a change to a critical step is also briefed in person.
7. The effectiveness of training is checked by observation and by results.

## 5. Records

Training records FRM-003, skills matrix, induction checklists, certificates.

## 6. References

ISO 9001:2015 7.2, 7.3; FRM-003.
"""

QP_CUSTOMER = """\
## 1. Purpose

To communicate clearly with customers, handle their complaints and returns quickly
and fairly, and learn from them (ISO 9001 8.2.1 and 9.1.2).

## 2. Scope

Customer enquiries about orders and products, complaints, returns and customer
satisfaction monitoring.

## 3. Responsibilities

- **Customer Service Lead:** owns this procedure; first contact for customers.
- **Quality:** investigates complaints about product quality.
- **Sales Director:** decides on credit notes and commercial settlement.

## 4. Procedure

### 4.1 Complaints

1. Log every complaint in Hoshin the day it arrives, with the customer's reference,
   part, lot and quantity affected.
2. Acknowledge it to the customer within two working days.
3. Raise a nonconformity under QP-005 with source "customer complaint"; containment
   within 24 hours, including stock at Kestrel and in transit.
4. Send the customer an initial response with containment within five working days and
   the root cause and corrective actions within 30 days.
5. Close the complaint when the customer accepts the response.

### 4.2 Returns

Returned parts get a returns number, are quarantined at goods-in and are inspected
within five working days.

### 4.3 Customer satisfaction

Every year customers are surveyed on quality, delivery, responsiveness and technical
support. Results go to management review.

## 5. Records

Complaints and their nonconformities, returns, survey results, scorecards.

## 6. References

ISO 9001:2015 8.2.1, 9.1.2; QP-005.
"""

QP_DESIGN = """\
## 1. Purpose

To control the design and development of Kestrel's own products – pneumatic actuators
and valve assemblies – from requirements to released design (ISO 9001 8.3).

## 2. Scope

New products, variants and design changes of Kestrel-designed products. Build-to-print
components are outside the scope of this procedure (see SCP-001).

## 3. Responsibilities

| Role | Responsibility |
|---|---|
| Engineering Manager | Owns this procedure; approves design stages |
| Project engineer | Plans and runs the design project; keeps the design file |
| Quality | Takes part in design reviews; approves verification and validation plans |
| Operations | Reviews manufacturability at each design review |

## 4. Procedure

1. **Plan.** Each project has a plan with stages, reviews, responsibilities and
   resources.
2. **Inputs.** Record functional and performance requirements, applicable standards
   (for example ISO 15552 for actuator interfaces), customer requirements and lessons
   from earlier designs. Incomplete or conflicting inputs are resolved before design
   starts.
3. **Design reviews** at concept, detailed design and pre-production, with
   engineering, quality and operations.
4. **Verification** that outputs meet inputs: calculations, tolerance stack-ups,
   prototype tests.
5. **Validation** that the product meets its intended use: endurance test of
   1 million cycles for actuators, field trial with a customer where possible.
6. **Outputs:** released drawings, bill of materials, test specification, assembly
   work instruction.
7. **Changes** to released designs follow QP-007.

## 5. Records

Design plan, inputs, review minutes, verification and validation reports, released
outputs – in the design file in the PDM system.

## 6. References

ISO 9001:2015 8.3; QP-007; ISO 15552.
"""

QP_PRODUCTION = """\
## 1. Purpose

To plan and carry out production under controlled conditions, so that parts are made
right first time and delivered on time (ISO 9001 8.1 and 8.5.1).

## 2. Scope

Machining at Galway and assembly at Limerick, from released order to finished goods.

## 3. Responsibilities

- **Operations Manager:** owns this procedure; the weekly production plan for Galway.
- **Assembly Plant Manager:** the production plan for Limerick.
- **Shift leads:** release jobs to machines; check the job pack is complete.
- **Operators and setters:** work to the job pack; record first-off and in-process
  checks.

## 4. Procedure

1. **Plan.** Each week the MRP run creates production orders from confirmed customer
   orders and forecasts. The plan balances machine load, tooling and material.
2. **Release.** A production order is released only with a complete job pack:
   - the drawing at the revision on the customer order;
   - the routing and CNC program numbers;
   - the work instructions and control plan;
   - certified material, identified with its heat number.
3. **Set-up and first-off.** The setter sets up to the work instruction; the first part
   is measured and approved before the batch runs.
4. **In-process checks** at the frequency in the control plan, recorded on the
   inspection sheet; results outside limits stop the machine.
5. **Validated processes.** Cleaning and passivation, whose result cannot be fully
   verified afterwards, are run only with validated parameters (SPC-002, WI-007).
6. **Completion.** The order is booked complete after final inspection; the job pack
   is filed with the order.

## 5. Records

Production orders, first-off approvals, inspection sheets, process parameter records.

## 6. References

ISO 9001:2015 8.1, 8.5.1; WI-001; PLN-001.
"""

QP_RISK = """\
## 1. Purpose

To determine the risks and opportunities that could affect our ability to deliver
conforming products and satisfy customers, and to plan actions to address them
(ISO 9001 6.1).

## 2. Scope

All processes of the QMS and the context issues identified in SCP-001.

## 3. Responsibilities

- **Quality Manager:** owns this procedure and the risk register.
- **Process owners:** identify and assess the risks and opportunities of their
  processes; own the actions.
- **Top management:** reviews the register at management review.

## 4. Procedure

### 4.1 Identify

Each process owner lists what could go wrong – or better than planned – in their
process, using the issues from the context review, nonconformities, audits and
customer feedback.

### 4.2 Assess

Score each risk for likelihood and consequence, 1 (low) to 3 (high). The product is
the risk score (1 to 9).

| Likelihood × consequence | 1 | 2 | 3 |
|---|---|---|---|
| 3 (likely) | 3 | 6 | 9 |
| 2 (possible) | 2 | 4 | 6 |
| 1 (unlikely) | 1 | 2 | 3 |

### 4.3 Act

Risks scoring 6 or more need an action plan with an owner and a due date. Risks
scoring 3 or 4 are monitored. Opportunities are assessed for benefit and effort.

### 4.4 Review

Process owners review their risks every six months and after any major change;
top management reviews the register at management review.

## 5. Records

The risk register and its actions.

## 6. References

ISO 9001:2015 6.1; ISO 31000; SCP-001; QP-004.
"""

QP_TRACEABILITY = """\
## 1. Purpose

To identify products and their status at every stage, and to trace every part back to
its material and production history (ISO 9001 8.5.2).

## 2. Scope

Material, work in progress and finished goods at Galway and Limerick.

## 3. Responsibilities

- **Inspection and Test Supervisor:** owns this procedure.
- **Goods-in:** identify incoming material with its heat number.
- **Operators:** keep the route card with the parts.
- **Warehouse:** keep labels and status on finished goods.

## 4. Procedure

1. **Material.** Bar and forgings are booked in against the purchase order with the
   heat number from the 3.1 certificate. Bars are end-painted in the grade colour and
   labelled with the goods-in number.
2. **Work in progress.** Every batch travels with its route card: production order,
   part number and revision, goods-in number, quantity. The route card is stamped at
   each operation.
3. **Inspection status** is shown by location and label: green "accepted", yellow
   "awaiting inspection", red "rejected – quarantine".
4. **Finished goods** are labelled with part number, revision, quantity, production
   order and date code.
5. **Trace.** From a part number and date code, the ERP gives the production order,
   and from it the goods-in number, heat number and certificate, the operators and
   machines, and the inspection records.
6. A traceability exercise is run every six months on a random finished lot and must
   be completed within four hours.

## 5. Records

Goods-in records, route cards, inspection records, traceability exercises.

## 6. References

ISO 9001:2015 8.5.2; WI-011; ISO 13485:2016 7.5.8 and 7.5.9.
"""

PROCEDURES = [
    Doc(
        "QP",
        "Control of documented information",
        "quality",
        QP_DOCUMENTS,
        process="P-12",
        description="How documents are created, numbered, reviewed, approved, distributed, "
        "reviewed periodically and withdrawn, and how records are kept (ISO 9001 7.5).",
        reviewers=("owner", "emccarthy"),
        approvers=("ceo",),
        reader_roles=("process_owner", "internal_auditor"),
        reader_departments=("Quality",),
        ages=(1050, 700, 240),
        revisions=(
            change(
                "Read-and-understood confirmations in Hoshin replace the briefing entries on "
                "training records for document changes; follow-up of outstanding confirmations.",
                (
                    "2. The owner briefs the people affected and records the briefing on the training\n"
                    "   record FRM-003.",
                    "2. Everyone on the distribution is asked to read the new version and confirm they have\n"
                    "   read and understood it. Process owners follow up confirmations outstanding after\n"
                    "   two weeks.",
                ),
            ),
            change(
                "Retention table: supplier pricing agreements added; medical device records kept "
                "for the lifetime of the device plus two years, as the customers' quality "
                "agreements require.",
                (
                    "| Inspection and test records, certificates of conformity | 10 years | Archive |",
                    "| Inspection and test records, certificates of conformity | 10 years, or the lifetime of the medical device plus 2 years if longer | Archive |\n"
                    "| Supplier pricing agreements | 7 years after expiry | Destroy |",
                ),
            ),
        ),
    ),
    Doc(
        "QP",
        "Contract review and order handling",
        "noconnor",
        QP_CONTRACT,
        process="P-01",
        description="Review of enquiries, quotations, orders and amendments before Kestrel "
        "commits to supply (ISO 9001 8.2).",
        reviewers=("lfitzgerald", "quality"),
        approvers=("ceo",),
        reader_departments=("Sales and customer service",),
        readers=("sbyrne", "owner"),
        ages=(980, 410),
        revisions=(
            change(
                "Late deliveries traced to dates confirmed against material lead time only: a "
                "capacity check is added to order review.",
                (
                    "5. **Delivery date.** Confirm the date against the material lead time.",
                    "5. **Delivery date.** Confirm the date against the material lead time and against\n"
                    "   machine capacity: planning checks the load on the capacity sheet for the machines\n"
                    "   in the routing before the date is given.",
                ),
            ),
        ),
    ),
    Doc(
        "QP",
        "Internal audit",
        "quality",
        QP_AUDIT,
        process="P-12",
        description="Planning, conducting and reporting internal audits; follow-up of "
        "findings (ISO 9001 9.2).",
        reviewers=("emccarthy", "owner"),
        approvers=("ceo",),
        reader_roles=("internal_auditor",),
        readers=("cdunne",),
        ages=(1000, 520, 75),
        revisions=(
            change(
                "Audit programme made risk-based: processes with high risk, open findings or "
                "complaints are audited twice a year.",
                (
                    "   covering every process at least once a year.",
                    "   covering every process at least once a year. Processes with high risk, open\n"
                    "   findings or customer complaints are audited twice a year.",
                ),
            ),
            change(
                "Remote audits of the Pune office allowed; finding grades aligned with NordCert "
                "Assurance (opportunity for improvement added).",
                (
                    "   Findings are graded major or minor nonconformity, or observation.",
                    "   Findings are graded major or minor nonconformity, observation, or opportunity for\n"
                    "   improvement, as defined by NordCert Assurance.",
                ),
                (
                    "   shifts and sites.",
                    "   shifts and sites. The Pune office may be audited remotely by video call, with\n"
                    "   records shared on screen; it is audited on site at least every three years.",
                ),
            ),
        ),
    ),
    Doc(
        "QP",
        "Management review",
        "quality",
        QP_REVIEW,
        process="P-12",
        description="Inputs, conduct and outputs of the annual management review (ISO 9001 9.3).",
        reviewers=("owner", "noconnor"),
        approvers=("ceo",),
        reader_roles=("top_management", "process_owner"),
        ages=(990, 300),
        revisions=(
            change(
                "Inputs extended for ISO 9001:2015/Amd 1:2024 (climate change) and to review the "
                "effectiveness of actions taken on risks.",
                (
                    "   - changes in external and internal issues;",
                    "   - changes in external and internal issues, including climate change;",
                ),
                (
                    "   - opportunities for improvement.",
                    "   - effectiveness of actions taken to address risks and opportunities;\n"
                    "   - opportunities for improvement.",
                ),
            ),
        ),
    ),
    Doc(
        "QP",
        "Nonconformity and corrective action",
        "quality",
        QP_NC,
        process="P-12",
        description="Reporting, containing, investigating and correcting nonconformities; "
        "control of nonconforming output (ISO 9001 8.7, 10.2).",
        reviewers=("owner", "emccarthy"),
        approvers=("ceo",),
        in_order=True,
        reader_roles=("process_owner",),
        reader_departments=("Machining", "Assembly and test", "Quality"),
        ages=(1045, 640, 55),
        revisions=(
            change(
                "Nonconformities are raised directly in Hoshin; FRM-001 kept for use where no "
                "terminal is at hand. Closing times set by severity.",
                (
                    "1. **Report.** Whoever finds the problem reports it on the nonconformance report form\n"
                    "   FRM-001, stating what was found, where and how much.",
                    "1. **Report.** Whoever finds the problem raises a nonconformity in Hoshin (or, where\n"
                    "   no terminal is at hand, on the paper form FRM-001, entered in Hoshin the same\n"
                    "   shift), stating what was found, where and how much.",
                ),
                (
                    "6. **Act.** Plan corrective actions with owners and due dates; carry them out and\n"
                    "   keep evidence.",
                    "6. **Act.** Plan corrective actions with owners and due dates; carry them out and\n"
                    "   keep evidence. A nonconformity is closed within 14 days if critical, 30 days if\n"
                    "   major and 60 days if minor.",
                ),
            ),
            change(
                "Medical customers' quality agreements: concessions need the customer's written "
                "approval; containment covers product in transit.",
                (
                    "   where the contract requires it, the customer's – used as is under concession.",
                    "   where the contract requires it, the customer's – used as is under concession.\n"
                    "   Concessions on parts for medical device customers always need the customer's\n"
                    "   written approval before shipment.",
                ),
                (
                    "3. **Contain.** Within 24 hours the process owner decides the containment: stock and\n"
                    "   work in progress checked, customer informed when product may have shipped.",
                    "3. **Contain.** Within 24 hours the process owner decides the containment: stock,\n"
                    "   work in progress and product in transit checked, customer informed when product\n"
                    "   may have shipped.",
                ),
            ),
        ),
    ),
    Doc(
        "QP",
        "Control of externally provided processes, products and services",
        "sbyrne",
        QP_PURCHASING,
        process="P-03",
        description="Selection, approval, purchasing and evaluation of suppliers, including "
        "outsourced processes (ISO 9001 8.4).",
        reviewers=("quality", "emccarthy"),
        approvers=("dmurphy",),
        reader_departments=("Supply chain", "Sourcing"),
        ages=(960, 470, 100),
        revisions=(
            change(
                "Pune sourcing office: parts from India-based suppliers inspected at source "
                "before shipment.",
                (
                    "   are verified by certificate and sample inspection.",
                    "   are verified by certificate and sample inspection. Parts from India-based\n"
                    "   suppliers are inspected at source by the Pune supplier quality engineer before\n"
                    "   shipment.",
                ),
            ),
            change(
                "Supplier scorecard reweighted after the yearly review of supplier "
                "nonconformities: quality 50%, delivery 30%; certification checked each quarter.",
                (
                    "| Quality | 40% | Lots accepted / lots received |",
                    "| Quality | 50% | Lots accepted / lots received |",
                ),
                (
                    "| Delivery | 40% | Lines on time (±2 days) / lines received |",
                    "| Delivery | 30% | Lines on time (±2 days) / lines received |",
                ),
                (
                    "| Responsiveness | 20% | Replies to NCs and requests within agreed times |",
                    "| Responsiveness | 20% | Replies to NCs and requests within agreed times |\n"
                    "| Certification | pass / fail | ISO 9001 (and NADCAP for special processes) current |",
                ),
            ),
        ),
    ),
    Doc(
        "QP",
        "Change control",
        "gevans",
        QP_CHANGE,
        process="P-02",
        description="Review and approval of product and process changes before they are made "
        "(ISO 9001 8.3.6, 8.5.6).",
        reviewers=("owner", "quality"),
        approvers=("ceo",),
        reader_departments=("Engineering",),
        reader_roles=("process_owner",),
        ages=(940, 70),
        revisions=(
            change(
                "Burrs on H-220 (customer complaint): the cross-hole deburr added to the drawing "
                "never reached the work instruction. Affected work instructions, control plans "
                "and CNC programs are now updated before release.",
                (
                    "   work in progress at the old revision.",
                    "   work in progress at the old revision. List the work instructions, control plans and\n"
                    "   CNC programs the change affects and update them before the new revision is\n"
                    "   released to production.",
                ),
            ),
            change(
                "Process changes (moving a part to another machine, new fixtures, CNC program "
                "changes) were outside change control: brought in, with a PFMEA review.",
                (
                    "to, and to the documents that control how a part is made.",
                    "to, and to the documents that control how a part is made – and changes to\n"
                    "production processes: moving a part to another machine, new fixtures or tooling\n"
                    "concepts, CNC program changes beyond offsets, and new sub-tier suppliers.",
                ),
                (
                    "   are notified before any major change, as their quality agreements require.",
                    "   are notified before any major change, as their quality agreements require. A\n"
                    "   process change is reviewed against the PFMEA, which is updated before release.",
                ),
            ),
        ),
        then=Then("review", age=3, signed=("owner",)),
    ),
    Doc(
        "QP",
        "Control of monitoring and measuring equipment",
        "owner",
        QP_CALIBRATION,
        process="P-09",
        description="Identification, calibration, labelling and recall of measuring "
        "equipment; out-of-tolerance assessment (ISO 9001 7.1.5).",
        reviewers=("emccarthy",),
        approvers=("quality",),
        reader_departments=("Maintenance and calibration", "Quality"),
        ages=(1000, 610, 200),
        revisions=(
            change(
                "Two torque wrenches found out of tolerance at calibration: interval shortened "
                "to 6 months.",
                (
                    "| Torque wrenches | 12 months | In-house, on the torque analyser |",
                    "| Torque wrenches | 6 months | In-house, on the torque analyser |",
                ),
            ),
            change(
                "Out-of-tolerance assessments now raised as nonconformities in Hoshin; hand "
                "gauges kept in shadow boards (corrective action after a missing bore gauge).",
                (
                    "   accepted with it since the last good calibration, and whether it must be recalled.",
                    "   accepted with it since the last good calibration, and whether it must be recalled.\n"
                    "   The assessment is raised as a nonconformity in Hoshin (QP-005).",
                ),
                (
                    "6. Overdue items are withdrawn from use by the metrology technician each Monday.",
                    "6. Overdue items are withdrawn from use by the metrology technician each Monday.\n"
                    "7. Hand gauges are kept in shadow boards at each cell, so a missing or borrowed gauge\n"
                    "   is seen at once.",
                ),
            ),
        ),
    ),
    Doc(
        "QP",
        "Competence, training and awareness",
        "fgallagher",
        QP_TRAINING,
        process="P-10",
        description="Competence requirements, induction, training, skills matrix and "
        "training records (ISO 9001 7.2, 7.3).",
        reviewers=("quality",),
        approvers=("ceo",),
        reader_roles=("process_owner",),
        readers=("aferreira",),
        ages=(900, 330),
        revisions=(
            change(
                "Skills-matrix levels defined; agency staff get the full induction and are "
                "signed off before working alone.",
                (
                    "5. The skills matrix shows who is qualified for each operation and machine.",
                    "5. The skills matrix shows who is qualified for each operation and machine, at one\n"
                    "   of four levels:\n\n"
                    "| Level | Meaning |\n"
                    "|---|---|\n"
                    "| 1 | In training – works only under supervision |\n"
                    "| 2 | Qualified – works alone to the work instruction |\n"
                    "| 3 | Experienced – sets up and solves routine problems |\n"
                    "| 4 | Trainer – may train others and sign off their competence |\n",
                ),
                (
                    "Employees and agency staff at all sites.",
                    "Employees and agency staff at all sites. Agency staff get the same induction as\n"
                    "employees and are signed off at level 2 before they work alone.",
                ),
            ),
        ),
    ),
    Doc(
        "QP",
        "Customer communication, complaints and returns",
        "lfitzgerald",
        QP_CUSTOMER,
        process="P-11",
        description="Customer communication, handling of complaints and returns, customer "
        "satisfaction (ISO 9001 8.2.1, 9.1.2).",
        reviewers=("quality",),
        approvers=("noconnor",),
        reader_departments=("Sales and customer service",),
        readers=("emccarthy",),
        ages=(970, 450, 35),
        revisions=(
            change(
                "Customer portal scorecards (Aerodyn, Vantor) added as an input to customer "
                "satisfaction.",
                (
                    "support. Results go to management review.",
                    "support. Scorecards from the customers' own portals are collected each quarter.\n"
                    "Results go to management review.",
                ),
            ),
            change(
                "Quality agreement with Celtic MedTech: acknowledgement within one working day, "
                "8D reports for medical customers.",
                (
                    "2. Acknowledge it to the customer within two working days.",
                    "2. Acknowledge it to the customer within one working day.",
                ),
                (
                    "4. Send the customer an initial response with containment within five working days and\n"
                    "   the root cause and corrective actions within 30 days.",
                    "4. Send the customer an initial response with containment within three working days\n"
                    "   and the root cause and corrective actions within 30 days, as an 8D report where the\n"
                    "   customer asks for it (all medical device customers do).",
                ),
            ),
        ),
    ),
    Doc(
        "QP",
        "Design and development",
        "gevans",
        QP_DESIGN,
        process="P-02",
        description="Design and development of Kestrel's actuators and valve assemblies "
        "(ISO 9001 8.3).",
        reviewers=("quality", "pkowalski"),
        approvers=("ceo",),
        in_order=True,
        reader_departments=("Engineering",),
        ages=(1010, 540),
        revisions=(
            change(
                "DFMEA required for every new product and variant; design transfer step added "
                "after the AC-16 launch problems.",
                (
                    "   prototype tests.",
                    "   prototype tests. A design FMEA is made for every new product and variant, and\n"
                    "   reviewed at each design review.",
                ),
                (
                    "7. **Changes** to released designs follow QP-007.",
                    "7. **Transfer.** Before release, a pilot batch is built at Limerick with the production\n"
                    "   work instructions and test equipment, and its results are reviewed.\n"
                    "8. **Changes** to released designs follow QP-007.",
                ),
            ),
        ),
    ),
    Doc(
        "QP",
        "Production planning and control",
        "owner",
        QP_PRODUCTION,
        process="P-04",
        description="Planning, release and control of production at Galway and Limerick "
        "(ISO 9001 8.1, 8.5.1).",
        reviewers=("pkowalski", "quality"),
        approvers=("ceo",),
        reader_departments=("Machining", "Assembly and test"),
        readers=("sbyrne",),
        ages=(880, 180),
        revisions=(
            change(
                "Oversize bores on the first parts after weekends: warm-up after long idle "
                "periods and tool life set in the CNC tool table.",
                (
                    "   is measured and approved before the batch runs.",
                    "   is measured and approved before the batch runs. Tools are changed at the tool life\n"
                    "   set in the CNC tool table, not at the operator's judgement.",
                ),
                (
                    "   inspection sheet; results outside limits stop the machine.",
                    "   inspection sheet; results outside limits stop the machine. After more than 8 hours\n"
                    "   idle, the machine runs its warm-up program and the first part is measured again\n"
                    "   as a first-off.",
                ),
            ),
        ),
    ),
    Doc(
        "QP",
        "Risks and opportunities",
        "quality",
        QP_RISK,
        process="P-12",
        description="Identifying, assessing and acting on risks and opportunities (ISO 9001 6.1).",
        reviewers=("owner", "sbyrne"),
        approvers=("ceo",),
        reader_roles=("process_owner", "top_management"),
        ages=(1020, 365),
        revisions=(
            change(
                "Risk scoring moved to a 5 × 5 matrix for finer priorities; climate-related risks "
                "added (ISO 9001:2015/Amd 1:2024).",
                (
                    "Score each risk for likelihood and consequence, 1 (low) to 3 (high). The product is\n"
                    "the risk score (1 to 9).",
                    "Score each risk for likelihood and consequence, 1 (rare, negligible) to 5 (almost\n"
                    "certain, severe). The product is the risk score (1 to 25).",
                ),
                (
                    "| Likelihood × consequence | 1 | 2 | 3 |\n"
                    "|---|---|---|---|\n"
                    "| 3 (likely) | 3 | 6 | 9 |\n"
                    "| 2 (possible) | 2 | 4 | 6 |\n"
                    "| 1 (unlikely) | 1 | 2 | 3 |",
                    "| Likelihood × consequence | 1 | 2 | 3 | 4 | 5 |\n"
                    "|---|---|---|---|---|---|\n"
                    "| 5 (almost certain) | 5 | 10 | 15 | 20 | 25 |\n"
                    "| 4 (likely) | 4 | 8 | 12 | 16 | 20 |\n"
                    "| 3 (possible) | 3 | 6 | 9 | 12 | 15 |\n"
                    "| 2 (unlikely) | 2 | 4 | 6 | 8 | 10 |\n"
                    "| 1 (rare) | 1 | 2 | 3 | 4 | 5 |",
                ),
                (
                    "customer feedback.",
                    "customer feedback, and the risks arising from climate change (flooding, energy\n"
                    "prices, customers' carbon targets).",
                ),
            ),
        ),
        rejection=Rejection(
            version=2,
            by="sbyrne",
            comment="4.3 still uses the thresholds of the old 3 × 3 matrix (6 or more, 3 or 4). "
            "Please set the thresholds for the 5 × 5 scale.",
            fix=(
                (
                    "Risks scoring 6 or more need an action plan with an owner and a due date. Risks\n"
                    "scoring 3 or 4 are monitored.",
                    "Risks scoring 12 or more need an action plan with an owner and a due date. Risks\n"
                    "scoring 5 to 10 are monitored and reviewed every six months.",
                ),
            ),
        ),
    ),
    Doc(
        "QP",
        "Product identification and traceability",
        "emccarthy",
        QP_TRACEABILITY,
        process="P-06",
        description="Identification and inspection status of material and parts; "
        "traceability from finished part to material heat (ISO 9001 8.5.2).",
        reviewers=("owner", "pkowalski"),
        approvers=("quality",),
        reader_departments=("Machining", "Assembly and test", "Supply chain"),
        ages=(930, 260),
        revisions=(
            change(
                "Medical parts: UDI laser marking where the drawing requires it, and the cleaning "
                "and passivation batch recorded for traceability.",
                (
                    "4. **Finished goods** are labelled with part number, revision, quantity, production\n"
                    "   order and date code.",
                    "4. **Finished goods** are labelled with part number, revision, quantity, production\n"
                    "   order and date code. Parts for medical device customers are laser marked with the\n"
                    "   customer's UDI where the drawing requires it, and the cleaning and passivation\n"
                    "   batch is recorded on the route card.",
                ),
            ),
        ),
    ),
]

# ==================================================================================
# Work instructions
# ==================================================================================

WI_DMU50 = """\
## 1. Purpose and scope

Setting up the DMG Mori DMU 50 5-axis machining centre (machine M19) for a new job, up
to the approval of the first-off part. For CNC setters qualified at level 3 on M19.

## 2. Safety

- Set up in setup mode with the door interlock active; never bypass it.
- Safety glasses and safety boots; no gloves near a turning spindle.
- Use the jib crane for vices and fixtures over 15 kg.

## 3. Before you start

| Check | Where |
|---|---|
| Job pack complete: drawing at the order revision, routing, program number | Route card |
| Program proved and released | DNC server, folder "Released" |
| Tools preset and on the tool trolley | Zoller print-out (WI-008) |
| Gauges in calibration | Calibration label |

## 4. Set-up

1. Clean the table and the zero-point clamping modules; check the clamping pins for
   chips.
2. Load the fixture or vice on the zero-point modules and clamp it. Check with a dial
   indicator that the fixed jaw is parallel to X within 0.01 mm over 100 mm.
3. Load the program from the DNC server; check the program number and revision
   against the route card.
4. Load the tools in the pockets given on the tool list; enter the tool lengths and
   radii from the Zoller print-out.
5. Set the workpiece datum G54 with the edge finder in X and Y and a setting block in Z.
6. After a collision, or if the machine has stood for more than a week, check the
   5-axis kinematics with the calibration sphere (cycle KinematicsOpt).
7. Run the program in single block with rapid override at 25% through the first tool
   changes and every 5-axis move; watch the clearance around the trunnion.
8. Machine the first part.

## 5. First-off

1. Measure the first part to the first-off checklist on the inspection sheet; critical
   features (marked ◆ on the drawing) go to the CMM (WI-003).
2. The shift lead or an inspector approves the first-off on the route card before the
   batch runs.
3. If the first-off fails, correct offsets – never the program – and measure a new
   first part. A program change goes back to engineering.

## 6. Records

Route card with the first-off approval; inspection sheet; CMM report.
"""

WI_DEBURR = """\
## 1. Purpose and scope

Removing burrs and sharp edges from H-220 hydraulic valve housings (316 stainless)
after machining, at the deburring bench of the machining cell.

## 2. Equipment

| Item | Use |
|---|---|
| Deburring tool with E100 blade | Outer edges, port chamfers |
| Countersink deburr Ø6–20 mm | Port entries |
| Nylon brush Ø25 on the bench drill, 1500 rpm | Face edges |
| Compressed air gun with filter | Blowing out chips |
| Magnifying lamp 3× | Visual check |

## 3. Steps

1. Take the housings from the machine in the blue tote with the route card.
2. Deburr the outer edges and the four M12 port entries with the blade and the
   countersink tool. Break edges to 0.2–0.4 mm unless the drawing says otherwise.
3. Brush the sealing faces lightly; do not brush the Ø22H7 bore.
4. Blow out every port and the main bore with filtered air, pointing away from people.
5. Check every housing under the 3× lamp: no burr, no loose chip, no scratch on
   the sealing faces.
6. Put the housings in the green tote and stamp the route card.

## 4. Acceptance

No burr that can be felt with a fingernail; no loose material; edges broken evenly.
Reject parts with a scratch across a sealing face: red tag and tell the shift lead.

## 5. Records

Route card stamp.
"""

WI_CMM = """\
## 1. Purpose and scope

Measuring bore diameters, roundness and cylindricity on the Zeiss Contura CMM in the
Galway metrology room – mainly the Ø22H7 bore of H-220 housings and the bores of
MN-75 manifold blocks.

## 2. Conditions

- Room temperature 20 ± 1 °C; parts soak in the room for at least 2 hours
  (aluminium 1 hour) before measurement.
- Parts clean and dry, free of coolant and chips.

## 3. Steps

1. Check the room temperature on the display and write it on the report.
2. Qualify the stylus on the reference sphere at the start of each shift and after
   any stylus change; the sphere diameter error must be under 1.5 µm.
3. Load the part in the fixture for the part number; load the CALYPSO program named
   on the inspection sheet.
4. Run the alignment; check on the screen that the part coordinate system matches the
   drawing datums.
5. Measure each bore with 4 points at mid-depth.
6. Print or save the report to the order folder.
7. A result outside tolerance: measure again once. If it is still outside, red-tag the
   part and tell the shift lead and the inspection supervisor.

## 4. Records

CMM report in the order folder; results entered on the inspection sheet.
"""

WI_FAI = """\
## 1. Purpose and scope

First-article inspection (FAI): objective evidence that a production process can make a
part that meets every requirement of the drawing and order.

## 2. When an FAI is needed

- a new part, or a new drawing revision;
- a new machine, process, fixture or CNC program concept for the part;
- a new material supplier or source of a special process;
- no production of the part for two years.

## 3. Steps

1. Engineering balloons the drawing: every dimension, note and specification gets a
   number.
2. Production makes the first article with the production tooling, program and
   method – not a special set-up.
3. Inspection measures every ballooned characteristic and records the result on the
   FAI report FRM-004. CMM reports are attached.
4. Attach material certificates and special process certificates.
5. Any characteristic out of tolerance: the FAI fails. Correct the process and inspect
   a new first article.
6. The inspection supervisor and the engineer approve the FAI; where the customer
   requires it, the report is sent for the customer's approval before delivery.

## 4. Records

FAI report FRM-004 with the ballooned drawing, CMM reports and certificates.
"""

WI_PACKAGING = """\
## 1. Purpose and scope

Packing machined parts for medical device customers after cleaning, so that they reach
the customer clean, undamaged and identified (SPC-001).

## 2. Where

The packing area next to the cleaning line at Galway (controlled area, positive
pressure, cleaned every shift).

## 3. Materials

- Nitrile gloves, powder-free; clean lint-free wipes.
- Inner bags: LDPE, 100 µm, cleanroom grade; outer bags: LDPE, 100 µm.
- Labels printed from the ERP.

## 4. Steps

1. Put on a clean coat, hair net and new gloves at the entry.
2. Check the parts come from the cleaning line with the cleaning batch number on the
   route card.
3. Put the parts in the inner bag in the quantity per bag of SPC-001; parts must not
   touch each other if the drawing marks surfaces as critical.
4. Seal the inner bag with the heat sealer; check the seal is continuous.
5. Put the inner bag in the outer bag and seal it.
6. Label the outer bag: part number and revision, quantity, lot number, cleaning batch,
   date of packing.
7. Pack the bags in cartons outside the packing area.

## 5. Records

Route card; packing entry in the ERP.
"""

WI_TORQUE = """\
## 1. Purpose and scope

Correct use, care and daily checking of click-type torque wrenches on the assembly
lines at Limerick.

## 2. Rules

- Use only wrenches with a valid calibration label.
- Set the torque given on the assembly work instruction; never estimate it.
- Return the wrench to its lowest setting after the shift (not to zero).
- Never use a torque wrench to loosen fasteners or as a hammer.

## 3. Using the wrench

1. Set the torque on the scale and lock the handle.
2. Hold the wrench by the middle of the handle and pull at right angles, smoothly.
3. Stop at the click. Do not pull on after the click.
4. For a pattern of bolts, tighten crosswise in two stages: 50% then 100%.

## 4. Daily check

1. At the start of each shift, check each wrench on the bench torque tester at the
   setting in use.
2. The reading must be within ±4% of the setting.
3. Out of limits: take the wrench out of use, tag it red and give it to the
   metrology technician. Tell the team lead, who decides whether assemblies since the
   last good check must be re-torqued.

## 5. Records

Daily check sheet at the torque tester.
"""

WI_PASSIVATION = """\
## 1. Purpose and scope

Cleaning and nitric acid passivation of 303, 304 and 316 stainless steel parts on the
Galway cleaning line, to SPC-002.

## 2. Safety

Nitric acid is corrosive and gives off toxic fumes. Wear the face shield, acid apron,
long nitrile gloves and safety boots. The extraction must be running. Know where the
eye wash and the spill kit are.

## 3. Process

| Stage | Bath | Temperature | Time |
|---|---|---|---|
| 1 Degrease | Alkaline cleaner, 5% | 60 °C | 10 min, ultrasonic |
| 2 Rinse | Tap water | ambient | 2 min |
| 3 Passivate | Nitric acid 25% v/v | 50 °C | 30 min |
| 4 Rinse | Tap water | ambient | 2 min |
| 5 Final rinse | Deionised water, < 5 µS/cm | ambient | 2 min |
| 6 Dry | Hot air | 80 °C | 15 min |

## 4. Steps

1. Check the bath log: bath temperatures, acid concentration titrated this week, DI
   water conductivity.
2. Load the parts in the basket so that they do not nest; blind holes facing down.
3. Run the stages in order with the times in the table.
4. With each batch, process a witness coupon of the same grade.
5. Test the witness coupon in the humidity cabinet for 24 hours (SPC-002).
6. Record the batch on the bath log and the route card.

## 5. Records

Bath log, route card, witness coupon results.
"""

WI_ZOLLER = """\
## 1. Purpose and scope

Measuring and setting cutting tools on the Zoller venturion 450 presetter before they go
to the machines.

## 2. Steps

1. Clean the tool holder taper and the spindle of the presetter.
2. Assemble the tool in the holder as shown on the tool sheet; check the stick-out
   length.
3. Clamp the holder in the presetter spindle.
4. Select the tool from the tool list of the job; the presetter shows the nominal
   length and radius.
5. Measure length and radius; for boring bars, set the diameter with the adjusting
   screw until the display is within ±0.005 mm of nominal.
6. Print the label and stick it on the holder; print the tool list for the job.
7. Put the tools on the tool trolley for the machine, in pocket order.

## 3. Records

Tool list print-out with the job pack.
"""

WI_PRESSURE = """\
## 1. Purpose and scope

Pressure and leak testing of VA-900 two-way valve assemblies at Limerick, on test rig
TR-02.

## 2. Safety

Test only behind the closed guard of the rig. Never stand over a pressurised
assembly. Hydraulic test fluid: wear gloves and safety glasses.

## 3. Test parameters

| Test | Pressure | Hold | Acceptance |
|---|---|---|---|
| Shell test | 375 bar | 60 s | No visible leak; no permanent deformation |
| Seat test | 250 bar | 60 s | Leakage ≤ 0.5 ml/min |

## 4. Steps

1. Check the pressure transducer PT-03 calibration label.
2. Mount the assembly on the test fixture with the adaptors for VA-900; fill and bleed.
3. Close the guard. Select program VA900-A on the rig controller.
4. Run the shell test, then the seat test.
5. The rig prints the result with the serial number. Attach it to the assembly
   traveller.
6. A failed test: label the assembly red and put it in the quarantine rack.

## 5. Records

Test print-out with the serial number, on the assembly traveller.
"""

WI_AC12 = """\
## 1. Purpose and scope

Assembly of AC-12 double-acting pneumatic actuators at Limerick, line 2.

## 2. Parts and tools

- Parts kit from the warehouse, checked against the pick list.
- Torque wrenches TW-20 (2–10 Nm) and TW-22 (10–50 Nm) – see WI-006.
- Grease: Klüberplex BEM 41-132, applied with the dosing gun.

## 3. Steps

1. Check the body bore and the piston for damage and cleanliness.
2. Grease the piston seals and the bore with a thin, even film.
3. Fit the piston and rack assembly; check the travel by hand.
4. Fit the end caps with new O-rings; tighten the cap screws crosswise to 8 Nm.
5. Fit the pinion and the position indicator; set the end stops to 90° ± 0.5°.
6. Mark the serial number on the label and fit the label.

## 4. Test

Test every actuator at 6 bar: full stroke both ways, no leak on the leak tester.

## 5. Records

Assembly traveller with serial number, torque settings and test result.
"""

WI_GOODSIN = """\
## 1. Purpose and scope

Inspection of bar stock, forgings and bought-in parts on receipt at Limerick, before
they are accepted into stock.

## 2. Steps

1. Check the delivery against the purchase order: part number, revision, quantity.
2. Check the material certificate (EN 10204 3.1): grade, heat number, dimensions,
   chemical analysis and mechanical properties against the standard on the order.
3. Check the heat number on the certificate matches the marking on the material.
4. Inspect to the sampling plan:

| Lot size | Sample | Accept on |
|---|---|---|
| 2–50 | 5 | 0 defects |
| 51–500 | 13 | 0 defects |
| 501–3200 | 20 | 0 defects |

5. Measure the diameter of bar at both ends and the middle; forgings to the
   goods-in drawing.
6. Accepted: book in, label green with the goods-in number. Rejected: red tag,
   quarantine and raise a nonconformity (supplier).

## 3. Records

Goods-in record in the ERP with the certificate scanned.
"""

WI_BRASS = """\
## 1. Purpose and scope

Hand deburring of CV-25 check valve bodies (brass CW614N) after turning.

## 2. Steps

1. Deburr the cross-drilled Ø3 mm outlet with the hand scraper, turning it twice.
2. Deburr the thread entry of the M16 port with the countersink tool.
3. Blow out with filtered air.
4. Check under the 3× lamp: no burr at the cross-hole.

## 3. Records

Route card stamp.
"""

WI_LASER = """\
## 1. Purpose and scope

Laser marking of unique device identifiers (UDI) and part numbers on medical parts, on
the fibre laser marker LM-01 at Galway, to SPC-004.

## 2. Steps

1. Load the marking file for the part number from the released folder.
2. Place the part in the fixture; focus with the red pilot beam.
3. Mark a test piece of the same material and check the Data Matrix with the verifier:
   grade B or better.
4. Mark the batch.

## 3. Records

Verifier grade on the route card.
"""

WORK_INSTRUCTIONS = [
    Doc(
        "WI",
        "Setting up the DMG Mori DMU 50 5-axis machining centre (M19)",
        "oadeyemi",
        WI_DMU50,
        process="P-04",
        site="GAL",
        description="Set-up of M19 for a new job up to the first-off approval.",
        reviewers=("owner", "emccarthy"),
        approvers=("quality",),
        reader_departments=("Machining",),
        ages=(720, 330, 40),
        revisions=(
            change(
                "Workpiece datum set with the Renishaw OMP400 probe instead of the edge finder; "
                "tool data now transferred from the Zoller over the network.",
                (
                    "4. Load the tools in the pockets given on the tool list; enter the tool lengths and\n"
                    "   radii from the Zoller print-out.",
                    "4. Load the tools in the pockets given on the tool list. Tool lengths and radii come\n"
                    "   from the Zoller over the network; check the tool numbers on the screen against\n"
                    "   the tool list.",
                ),
                (
                    "5. Set the workpiece datum G54 with the edge finder in X and Y and a setting block in Z.",
                    "5. Set the workpiece datum G54 with the Renishaw OMP400 probe, probing cycle O8100\n"
                    "   (bore or boss centre, then top face). Check the stylus on the ring gauge first.",
                ),
            ),
            change(
                "Warm-up program after more than 8 hours idle (QP-012); every H-220 first-off "
                "measured on the CMM.",
                (
                    "| Gauges in calibration | Calibration label |",
                    "| Gauges in calibration | Calibration label |\n"
                    "| Warm-up program O9000 run if the machine was idle for more than 8 hours | Machine log |",
                ),
                (
                    "   features (marked ◆ on the drawing) go to the CMM (WI-003).",
                    "   features (marked ◆ on the drawing), and every feature of H-220 housings, go to the\n"
                    "   CMM (WI-003).",
                ),
            ),
        ),
    ),
    Doc(
        "WI",
        "Deburring of valve housings (H-220)",
        "oadeyemi",
        WI_DEBURR,
        process="P-04",
        site="GAL",
        description="Manual deburring of H-220 housings after machining.",
        reviewers=("owner",),
        approvers=("quality",),
        reader_departments=("Machining",),
        ages=(800, 25),
        revisions=(
            change(
                "Customer complaint: burrs where the cross-drilled ports meet the main bore. "
                "Cross-hole deburr with a flexible hone and a 10× check added (drawing rev F).",
                (
                    "| Magnifying lamp 3× | Visual check |",
                    "| Flexible hone 240 grit, Ø10 and Ø22 | Cross-hole intersections |\n"
                    "| Magnifying lamp 3× and loupe 10× | Visual check |",
                ),
                (
                    "3. Brush the sealing faces lightly; do not brush the Ø22H7 bore.",
                    "3. Run the Ø22 flexible hone through the main bore and the Ø10 hone through each\n"
                    "   cross-drilled port: 10 strokes at 300 rpm with honing oil, to remove the burr\n"
                    "   where the ports meet the bore.\n"
                    "4. Brush the sealing faces lightly; do not brush the Ø22H7 bore.",
                ),
                (
                    "4. Blow out every port and the main bore with filtered air, pointing away from people.\n"
                    "5. Check every housing under the 3× lamp: no burr, no loose chip, no scratch on\n"
                    "   the sealing faces.\n"
                    "6. Put the housings in the green tote and stamp the route card.",
                    "5. Wash in the parts washer and blow out every port and the main bore with filtered\n"
                    "   air, pointing away from people.\n"
                    "6. Check every housing under the 3× lamp, and each cross-hole intersection with the\n"
                    "   10× loupe: no burr, no loose chip, no scratch on the sealing faces.\n"
                    "7. Put the housings in the green tote and stamp the route card.",
                ),
            ),
        ),
    ),
    Doc(
        "WI",
        "CMM inspection of bore diameters",
        "emccarthy",
        WI_CMM,
        process="P-06",
        site="GAL",
        description="Measuring bore diameter, roundness and cylindricity on the CMM.",
        reviewers=("owner",),
        approvers=("quality",),
        reader_departments=("Quality",),
        readers=("dquinn",),
        ages=(860, 400),
        revisions=(
            change(
                "A customer found taper outside tolerance on H-220 bores that had passed: bores "
                "now scanned at three heights for cylindricity.",
                (
                    "5. Measure each bore with 4 points at mid-depth.",
                    "5. Measure each bore by scanning circles at three heights (2 mm from each end and\n"
                    "   mid-depth), 0.5 mm/s; report diameter at each height, roundness and\n"
                    "   cylindricity.",
                ),
            ),
            change(
                "New Zeiss Contura G2 with VAST XT scanning probe replaces the old CMM: program "
                "folder and stylus qualification changed.",
                (
                    "2. Qualify the stylus on the reference sphere at the start of each shift and after\n"
                    "   any stylus change; the sphere diameter error must be under 1.5 µm.",
                    "2. Qualify the styli of the VAST XT probe on the reference sphere at the start of each\n"
                    "   shift and after any stylus change; the sphere diameter error must be under 1.0 µm.",
                ),
                (
                    "3. Load the part in the fixture for the part number; load the CALYPSO program named\n"
                    "   on the inspection sheet.",
                    "3. Load the part in the fixture for the part number; load the CALYPSO program named\n"
                    '   on the inspection sheet from the folder "Contura G2" (programs of the old CMM\n'
                    "   must not be used).",
                ),
            ),
        ),
        then=Then("future", age=10),
    ),
    Doc(
        "WI",
        "First-article inspection",
        "emccarthy",
        WI_FAI,
        process="P-06",
        description="When and how a first-article inspection is made and approved.",
        reviewers=("gevans",),
        approvers=("quality",),
        reader_departments=("Quality", "Engineering"),
        ages=(990, 500, 160),
        revisions=(
            change(
                "Aerodyn Controls asks for first-article reports in AS9102 format: FRM-004 now "
                "follows AS9102 forms 1 to 3.",
                (
                    "   FAI report FRM-004. CMM reports are attached.",
                    "   FAI report FRM-004, which follows AS9102 (form 1 part number accountability,\n"
                    "   form 2 product accountability, form 3 characteristic accountability). CMM reports\n"
                    "   are attached.",
                ),
            ),
            change(
                "Partial FAI allowed after a drawing change: only the changed characteristics and "
                "those they affect.",
                (
                    "- no production of the part for two years.",
                    "- no production of the part for two years.\n\n"
                    "After a drawing change, a partial FAI of the changed characteristics, and of\n"
                    "those they affect, is enough, unless the customer asks for a full FAI.",
                ),
            ),
        ),
    ),
    Doc(
        "WI",
        "Packaging of medical parts",
        "sbyrne",
        WI_PACKAGING,
        process="P-07",
        site="GAL",
        description="Double-bagging and labelling of cleaned parts for medical customers.",
        reviewers=("emccarthy",),
        approvers=("quality",),
        reader_departments=("Supply chain",),
        readers=("pnolan",),
        ages=(700, 210),
        revisions=(
            change(
                "A bag seal opened in transit to Celtic MedTech: heat sealer checked at the start "
                "of each shift with a peel test.",
                (
                    "4. Seal the inner bag with the heat sealer; check the seal is continuous.",
                    "4. Seal the inner bag with the heat sealer; check the seal is continuous. At the\n"
                    "   start of each shift, seal a test strip and peel it: the seal must tear the film,\n"
                    "   not peel open. Record the check on the sealer log.",
                ),
                (
                    "Route card; packing entry in the ERP.",
                    "Route card; packing entry in the ERP; sealer log.",
                ),
            ),
        ),
    ),
    Doc(
        "WI",
        "Use and care of torque wrenches",
        "pkowalski",
        WI_TORQUE,
        process="P-05",
        site="LIM",
        description="Setting, using and checking click-type torque wrenches.",
        reviewers=("emccarthy",),
        approvers=("quality",),
        reader_departments=("Assembly and test",),
        ages=(830,),
        overdue=True,
    ),
    Doc(
        "WI",
        "Cleaning and passivation of stainless steel parts",
        "owner",
        WI_PASSIVATION,
        process="P-04",
        site="GAL",
        description="Degreasing and passivation of stainless parts on the Galway line.",
        reviewers=("emccarthy",),
        approvers=("quality",),
        reader_departments=("Machining", "Quality"),
        ages=(715,),
        revisions=(
            change(
                "Periodic review: the citric acid line replaces nitric acid passivation "
                "(SPC-002); the instruction is rewritten for it.",
                (
                    "Cleaning and nitric acid passivation of 303, 304 and 316 stainless steel parts on the\n"
                    "Galway cleaning line, to SPC-002.",
                    "Cleaning and citric acid passivation of 303, 304 and 316 stainless steel parts on the\n"
                    "Galway cleaning line, to SPC-002.",
                ),
                (
                    "Nitric acid is corrosive and gives off toxic fumes. Wear the face shield, acid apron,\n"
                    "long nitrile gloves and safety boots.",
                    "Citric acid at 10% is an irritant; the alkaline cleaner is corrosive. Wear the face\n"
                    "shield, apron, long nitrile gloves and safety boots.",
                ),
                (
                    "| 3 Passivate | Nitric acid 25% v/v | 50 °C | 30 min |",
                    "| 3 Passivate | Citric acid 10% w/v | 60 °C | 20 min |",
                ),
            ),
        ),
        then=Then(
            "revise",
            age=6,
            comment="The citric acid passivation line is commissioned and SPC-002 allows it: "
            "rewrite this instruction for citric acid before the nitric line is taken out.",
        ),
    ),
    Doc(
        "WI",
        "Tool presetting on the Zoller venturion",
        "owner",
        WI_ZOLLER,
        process="P-04",
        site="GAL",
        description="Measuring and setting cutting tools before they go to the machines.",
        reviewers=("gevans",),
        approvers=("quality",),
        reader_departments=("Machining",),
        ages=(650, 120),
        revisions=(
            change(
                "Tool data sent to M16 and M19 over the network: no more typing offsets; tool "
                "life recorded on the presetter.",
                (
                    "6. Print the label and stick it on the holder; print the tool list for the job.",
                    "6. Send the tool data to the machine: select the machine (M16 or M19) and press\n"
                    '   "Send"; for other machines print the label and stick it on the holder.\n'
                    "   Print the tool list for the job.",
                ),
            ),
        ),
        rejection=Rejection(
            version=2,
            by="gevans",
            comment="Step 7 still has the tools going on the trolley in pocket order, but the "
            "network transfer uses the tool numbers, not pockets. Please also say what to do "
            "when the transfer fails.",
            fix=(
                (
                    "7. Put the tools on the tool trolley for the machine, in pocket order.",
                    "7. Put the tools on the tool trolley for the machine, labelled with their tool\n"
                    "   numbers. If the transfer fails, the setter enters the values from the\n"
                    "   print-out and the shift lead checks them.",
                ),
            ),
        ),
    ),
    Doc(
        "WI",
        "Pressure testing of valve assemblies (VA-900)",
        "pkowalski",
        WI_PRESSURE,
        process="P-06",
        site="LIM",
        description="Shell and seat tests of VA-900 assemblies on test rig TR-02.",
        reviewers=("emccarthy",),
        approvers=("quality",),
        readers=("mhennessy", "jlis"),
        ages=(940, 590, 230),
        revisions=(
            change(
                "Test pressures raised for the VA-900 rev G design (rated 250 bar).",
                ("| Shell test | 375 bar | 60 s |", "| Shell test | 375 bar | 120 s |"),
            ),
            change(
                "Rig TR-02 now prints the test curve; seat leakage limit tightened at Nordhavn "
                "Marine's request.",
                (
                    "| Seat test | 250 bar | 60 s | Leakage ≤ 0.5 ml/min |",
                    "| Seat test | 250 bar | 60 s | Leakage ≤ 0.2 ml/min |",
                ),
                (
                    "5. The rig prints the result with the serial number. Attach it to the assembly\n"
                    "   traveller.",
                    "5. The rig prints the result and the pressure curve with the serial number. Check\n"
                    "   the curve has no drop during the hold; attach the print-out to the assembly\n"
                    "   traveller.",
                ),
            ),
        ),
    ),
    Doc(
        "WI",
        "Assembly of AC-12 pneumatic actuators",
        "pkowalski",
        WI_AC12,
        process="P-05",
        site="LIM",
        description="Assembly and end-of-line test of AC-12 actuators on line 2.",
        reviewers=("gevans", "emccarthy"),
        approvers=("quality",),
        in_order=True,
        reader_departments=("Assembly and test",),
        ages=(760,),
        revisions=(
            change(
                "New end caps with captive screws (ECN-0412); cap screw torque changed to 10 Nm "
                "and a check of the end stops with the protractor gauge added.",
                (
                    "4. Fit the end caps with new O-rings; tighten the cap screws crosswise to 8 Nm.",
                    "4. Fit the end caps (rev C, captive screws) with new O-rings; tighten the cap screws\n"
                    "   crosswise to 10 Nm.",
                ),
                (
                    "5. Fit the pinion and the position indicator; set the end stops to 90° ± 0.5°.",
                    "5. Fit the pinion and the position indicator; set the end stops to 90° ± 0.5° and\n"
                    "   check them with the protractor gauge PG-03.",
                ),
            ),
        ),
        then=Then("review", age=2, signed=("gevans",)),
    ),
    Doc(
        "WI",
        "Goods-in inspection of bar stock and forgings",
        "emccarthy",
        WI_GOODSIN,
        process="P-06",
        site="LIM",
        description="Receiving inspection of material and bought-in parts.",
        reviewers=("sbyrne",),
        approvers=("quality",),
        reader_departments=("Supply chain",),
        readers=("akhalil",),
        ages=(880, 300),
        revisions=(
            change(
                "Kaveri Forgings' certificates found with the wrong heat number: the heat number "
                "is now checked on every piece of a forging lot, and hardness tested on one piece.",
                (
                    "3. Check the heat number on the certificate matches the marking on the material.",
                    "3. Check the heat number on the certificate matches the marking on the material –\n"
                    "   on every piece for forgings. Test the hardness of one forging per lot (HB 150–190\n"
                    "   for 316 blanks).",
                ),
            ),
        ),
    ),
    Doc(
        "WI",
        "Hand deburring of brass check valve bodies (CV-25)",
        "oadeyemi",
        WI_BRASS,
        process="P-04",
        site="GAL",
        description="Hand deburring of CV-25 bodies after turning.",
        reviewers=("owner",),
        approvers=("quality",),
        reader_departments=("Machining",),
        ages=(1000, 600),
        revisions=(
            change(
                "Cross-hole now also deburred from the inside with the back-deburring tool.",
                (
                    "1. Deburr the cross-drilled Ø3 mm outlet with the hand scraper, turning it twice.",
                    "1. Deburr the cross-drilled Ø3 mm outlet with the hand scraper, turning it twice,\n"
                    "   then from the inside with the back-deburring tool BD-3.",
                ),
            ),
        ),
        then=Then(
            "obsolete",
            age=90,
            comment="CV-25 bodies are thermally deburred by the supplier since the move to "
            "bought-in blanks; hand deburring is no longer done at Kestrel. Printed copies "
            "removed from the brass cell.",
        ),
    ),
    Doc(
        "WI",
        "Laser marking of UDI codes on medical parts",
        "oadeyemi",
        WI_LASER,
        process="P-04",
        site="GAL",
        description="Marking Data Matrix UDI codes and part numbers on the fibre laser LM-01.",
        then=Then("draft", age=8),
        first_reason="New work instruction for the laser marker LM-01 (SPC-004).",
    ),
]

# ==================================================================================
# Forms, specifications, plans
# ==================================================================================

FRM_NCR = """\
## Nonconformance report (NCR)

### Part A – Report (the person who found it)

| Field | Entry |
|---|---|
| NCR number | |
| Date found | |
| Found by | |
| Process / area | |
| Part number and revision | |
| Production order / lot | |
| Quantity checked / nonconforming | / |
| Description of the nonconformity | |

### Part B – Containment (process owner)

| Field | Entry |
|---|---|
| Immediate action taken | |
| Stock and work in progress checked (where, how many) | |
| Customer informed? | yes / no – by whom, when |

### Part C – Disposition

☐ Rework ☐ Repair ☐ Regrade ☐ Scrap ☐ Return to supplier

☐ Use as is under concession (Quality Manager only)

Authorised by: ____________ Date: ________

### Part D – Root cause and corrective action

| Why? | Answer |
|---|---|
| 1 | |
| 2 | |
| 3 | |
| 4 | |
| 5 | |

| Corrective action | Owner | Due | Done |
|---|---|---|---|
| | | | |

### Part E – Verification of effectiveness

Effective? yes / no  Verified by: ____________ Date: ________
"""

FRM_CALIBRATION = """\
## Calibration record

| Field | Entry |
|---|---|
| Equipment number | |
| Description, make, model | |
| Range and resolution | |
| Location | |
| Reference standard used (number, certificate) | |
| Room temperature (°C) | |
| Procedure | QP-008 |

### Readings

| Nominal | Reading of the standard | Reading of the instrument | Error | Permitted error | Pass / fail |
|---|---|---|---|---|---|
| | | | | | |
| | | | | | |
| | | | | | |

### Result

- ☐ Pass – label with the next due date
- ☐ Adjusted – readings after adjustment recorded above
- ☐ Fail – quarantined; out-of-tolerance assessment by the Quality Manager

Calibrated by: ____________ Date: ________ Next due: ________
"""

FRM_TRAINING = """\
## Training record

| Field | Entry |
|---|---|
| Name | |
| Role and department | |
| Training given | |
| Document and version (WI, QP) | |
| Trainer | |
| Date(s) | |

### Assessment of competence

| Task observed | Level reached (1–4) | Assessor | Date |
|---|---|---|---|
| | | | |
| | | | |

Signature of the trainee: ____________

Signature of the supervisor: ____________
"""

FRM_FAI = """\
## First article inspection report

| Field | Entry |
|---|---|
| Part number and revision | |
| Drawing number and revision | |
| Production order | |
| Reason for FAI | new part / new revision / process change / 2 years no production |
| Material and heat number | |
| Special processes and certificates | |

### Characteristics

| Balloon | Requirement | Tolerance | Result | Method / gauge | OK |
|---|---|---|---|---|---|
| | | | | | |
| | | | | | |
| | | | | | |

### Approval

FAI passed ☐ failed ☐

Inspector: ____________ Engineer: ____________ Date: ________
"""

FRM_CONTRACT = """\
## Contract review checklist

| Question | Yes / no / n.a. | Comment |
|---|---|---|
| Drawing and revision received and readable? | | |
| Material available to the specification called up? | | |
| Tolerances within our process capability? | | |
| Special processes needed? Approved source? | | |
| Inspection equipment available for every characteristic? | | |
| Marking, cleaning and packaging requirements understood? | | |
| Certificates required (CoC, 3.1, FAI, PPAP)? | | |
| Quality agreement or customer-specific requirements? | | |
| Delivery date achievable? | | |

Reviewed by (sales): ____________ (engineering): ____________ Date: ________
"""

SPC_PACKAGING = """\
## 1. Scope

Packaging of machined components supplied to medical device customers. Applies unless
the customer's drawing or quality agreement requires otherwise.

## 2. Cleanliness

Parts are packed after cleaning (WI-007) in the controlled packing area (WI-005). No
paper, cardboard or wood inside the inner bag.

## 3. Packaging

| Part family | Inner bag | Quantity per inner bag | Outer |
|---|---|---|---|
| Housings, manifold blocks | LDPE 100 µm, cleanroom grade | 10 | LDPE bag, then carton |
| Shafts | LDPE 100 µm with foam sleeves | 20 | LDPE bag, then carton |
| Small turned parts (< 20 mm) | LDPE 100 µm | 100 | LDPE bag, then carton |

## 4. Labelling

Outer bag and carton: customer part number and revision, Kestrel part number,
quantity, lot number, cleaning batch, date of packing, "CLEAN – NON-STERILE".

## 5. Storage and transport

Store at 5–35 °C, dry. Cartons must not be stacked more than five high.
"""

SPC_PASSIVATION = """\
## 1. Scope

Passivation of 303, 304 and 316 stainless steel parts, in-house (WI-007) or by an
approved subcontractor.

## 2. Standard

ASTM A967/A967M (EXT-004), method Nitric 2: nitric acid 20–25% v/v, 49–54 °C, at
least 20 minutes.

## 3. Verification tests

| Test | Standard | Sample | Acceptance |
|---|---|---|---|
| Humidity | ASTM A967 Practice C: 24 h at 35 °C, 95% RH | 1 witness coupon per batch | No rust or staining |

## 4. Process validation

The passivation line is validated (installation, operational and performance
qualification) and revalidated after any change of chemistry, equipment or
parameters. Bath concentration is titrated weekly.

## 5. Records

Bath log, batch records and test results, kept 10 years.
"""

SPC_SURFACE = """\
## 1. Scope

Surface roughness and cosmetic acceptance of machined parts where the drawing does not
state otherwise.

## 2. Roughness

| Surface class | Ra (µm) max | Typical surfaces |
|---|---|---|
| S1 | 0.4 | Sealing faces, O-ring grooves |
| S2 | 0.8 | Bores with fits, bearing seats |
| S3 | 1.6 | Other machined surfaces |
| S4 | 3.2 | Non-functional surfaces |

## 3. Cosmetic acceptance

View at 450 mm under at least 1000 lux for no more than 10 seconds per side, without
magnification.

| Defect | Zone A (sealing, visible) | Zone B (functional) | Zone C (other) |
|---|---|---|---|
| Scratch | none that can be felt | ≤ 5 mm, not felt | ≤ 10 mm |
| Dent or nick | none | ≤ 0.5 mm | ≤ 1 mm |
| Tool marks | none visible | even pattern | acceptable |
| Discolouration | none | light, uniform | acceptable |

## 4. Measurement

Roughness is measured with the profilometer, cut-off 0.8 mm, on one part per batch
and on the first-off.
"""

SPC_UDI = """\
## 1. Scope

Laser marking of UDI (unique device identification) Data Matrix codes and human-readable
text on parts for medical device customers, where the drawing calls for it.

## 2. Content

The content is given by the customer: GS1 Data Matrix with the GTIN (01) and the lot
(10) or serial number (21). Human-readable text below the code, 1.5 mm high.

## 3. Marking

| Material | Process | Parameters |
|---|---|---|
| 316L stainless | Annealing mark (black, no material removal) | 20 W fibre laser, 500 mm/s, 100 kHz |
| 6061 aluminium (anodised) | Ablation of the anodising | 20 W fibre laser, 1200 mm/s, 60 kHz |

## 4. Quality of the mark

- Verified to ISO/IEC TR 29158: grade B (3.0) or better.
- Annealing marks must survive passivation and five autoclave cycles at 134 °C
  without loss of grade (validated per material).

## 5. Records

Verifier report of the first and last part of each batch.
"""

PLN_CONTROL = """\
## Control plan – H-220 hydraulic valve housing, 316 stainless

Drawing H-220 rev E. Machining on M16 and M19 at Galway.

| Op | Characteristic | Specification | Method | Frequency | Reaction |
|---|---|---|---|---|---|
| 10 | Bar diameter and grade | Ø50 h9, 316 to EN 10088-3 | Goods-in, 3.1 certificate | Each lot | Reject lot |
| 20 | Ø22H7 bore | 22.000–22.021 | Bore gauge | 1 in 10 | Stop, adjust, check last 10 |
| 20 | Overall length | 84.00 ± 0.05 | Height gauge | 1 in 10 | Stop, adjust |
| 30 | True position of M12 ports | Ø0.1 | CMM | First-off and 1 per batch | Stop, quarantine batch |
| 30 | Thread M12×1.5 | 6H | Thread plug gauge | 1 in 5 | Stop, replace tap |
| 40 | Burrs and edges | WI-002 | Visual | 100% | Rework |
| 50 | Face flatness | 0.02 | CMM | 1 per batch | Stop, quarantine batch |
| 60 | Passivation | SPC-002 | Witness coupon | Each batch | Quarantine batch |
"""

PLN_AUDITS = """\
## Internal audit programme

Rolling 12-month programme (QP-003). Every process is audited at least once a year;
the month is planned, the date agreed with the process owner.

| Process | Lead auditor | Months | Focus |
|---|---|---|---|
| P-01 Sales and order handling | Claire Dunne | Mar | Order review, amendments |
| P-02 Design and development | Priya Raman | Jun | Design reviews, change control |
| P-03 Purchasing and supplier management | Claire Dunne | Sep | Supplier approval and evaluation |
| P-04 Production – machining | Priya Raman | Feb | First-off, in-process checks |
| P-05 Production – assembly | Claire Dunne | May | Torque control, test records |
| P-06 Inspection and testing | Priya Raman | Oct | CMM, goods-in |
| P-07 Warehouse and dispatch | Claire Dunne | Nov | Identification, packaging |
| P-08 Maintenance | Priya Raman | Apr | Planned maintenance |
| P-09 Calibration | Claire Dunne | Jan | Recall, out-of-tolerance |
| P-10 HR and training | Priya Raman | Jul | Competence, induction |
| P-11 Customer service | Claire Dunne | Aug | Complaints, returns |
| P-12 Quality management and improvement | External (NordCert pre-audit) | Dec | Management review, CAPA |
"""

FORMS_SPECS_PLANS = [
    Doc(
        "FRM",
        "Nonconformance report form (NCR)",
        "emccarthy",
        FRM_NCR,
        process="P-12",
        description="Paper NCR form for use where Hoshin is not at hand (QP-005).",
        reviewers=("owner",),
        approvers=("quality",),
        reader_roles=("process_owner",),
        ages=(1040, 690),
        revisions=(
            change(
                "NCRs are now raised in Hoshin: the form is kept for use where no terminal is at "
                "hand; severity added.",
                (
                    "## Nonconformance report (NCR)\n",
                    "## Nonconformance report (NCR)\n\n"
                    "*Use this form only where Hoshin is not at hand, and enter the report in Hoshin\n"
                    "the same shift (QP-005).*\n",
                ),
                (
                    "| Description of the nonconformity | |",
                    "| Description of the nonconformity | |\n"
                    "| Severity | minor / major / critical |",
                ),
            ),
        ),
    ),
    Doc(
        "FRM",
        "Calibration record",
        "owner",
        FRM_CALIBRATION,
        process="P-09",
        description="Record of an in-house calibration (QP-008).",
        reviewers=("emccarthy",),
        approvers=("quality",),
        readers=("akhalil", "bkavanagh"),
        ages=(990,),
    ),
    Doc(
        "FRM",
        "Training record template",
        "fgallagher",
        FRM_TRAINING,
        process="P-10",
        description="Record of training given and competence assessed (QP-009).",
        reviewers=("pkowalski",),
        approvers=("quality",),
        readers=("aferreira",),
        ages=(870, 240),
        revisions=(
            change(
                "Effectiveness of training now checked and recorded, as QP-009 requires.",
                (
                    "Signature of the trainee: ____________",
                    "### Effectiveness (after 4–8 weeks)\n\n"
                    "Works to the instruction without help? yes / no  Errors since training? ______\n"
                    "Checked by: ____________ Date: ________\n\n"
                    "Signature of the trainee: ____________",
                ),
            ),
        ),
    ),
    Doc(
        "FRM",
        "First article inspection report",
        "emccarthy",
        FRM_FAI,
        process="P-06",
        description="Report of a first-article inspection (WI-004).",
        reviewers=("gevans",),
        approvers=("quality",),
        reader_departments=("Quality",),
        ages=(990, 500),
        revisions=(
            change(
                "Laid out to AS9102 (forms 1 to 3) for aerospace customers.",
                (
                    "## First article inspection report\n",
                    "## First article inspection report (AS9102)\n\n"
                    "### Form 1 – Part number accountability\n",
                ),
                (
                    "### Characteristics\n",
                    "### Form 2 – Product accountability\n\n"
                    "| Material or special process | Specification | Supplier | Certificate number |\n"
                    "|---|---|---|---|\n"
                    "| | | | |\n\n"
                    "### Form 3 – Characteristic accountability\n",
                ),
            ),
        ),
    ),
    Doc(
        "FRM",
        "Contract review checklist",
        "noconnor",
        FRM_CONTRACT,
        process="P-01",
        description="Checklist for the review of new parts and new revisions (QP-002).",
        reviewers=("lfitzgerald",),
        approvers=("quality",),
        reader_departments=("Sales and customer service",),
        ages=(980, 410),
        revisions=(
            change(
                "Capacity check added to go with QP-002 version 2.",
                (
                    "| Delivery date achievable? | | |",
                    "| Delivery date achievable against material lead time? | | |\n"
                    "| Capacity checked on the machines in the routing? | | |",
                ),
            ),
        ),
    ),
    Doc(
        "SPC",
        "Packaging specification – medical components",
        "sbyrne",
        SPC_PACKAGING,
        process="P-07",
        description="Packaging and labelling of clean, non-sterile medical components.",
        reviewers=("emccarthy",),
        approvers=("quality",),
        confidentiality="public",
        reader_departments=("Supply chain",),
        ages=(700, 210),
        revisions=(
            change(
                "Housings damaged in transit: separator trays for housings and a maximum carton "
                "weight.",
                (
                    "| Housings, manifold blocks | LDPE 100 µm, cleanroom grade | 10 | LDPE bag, then carton |",
                    "| Housings, manifold blocks | LDPE 100 µm, cleanroom grade | 10 | LDPE bag, then carton with separator trays |",
                ),
                (
                    "Store at 5–35 °C, dry. Cartons must not be stacked more than five high.",
                    "Store at 5–35 °C, dry. Cartons must not weigh more than 12 kg or be stacked more\n"
                    "than five high.",
                ),
            ),
        ),
    ),
    Doc(
        "SPC",
        "Passivation of stainless steel parts",
        "gevans",
        SPC_PASSIVATION,
        process="P-02",
        description="Passivation method, verification tests and validation (ASTM A967).",
        reviewers=("emccarthy",),
        approvers=("quality",),
        reader_departments=("Quality",),
        readers=("owner",),
        ages=(960, 430, 90),
        revisions=(
            change(
                "Celtic MedTech's quality agreement asks for a free-iron test on 316 parts.",
                (
                    "| Humidity | ASTM A967 Practice C: 24 h at 35 °C, 95% RH | 1 witness coupon per batch | No rust or staining |",
                    "| Humidity | ASTM A967 Practice C: 24 h at 35 °C, 95% RH | 1 witness coupon per batch | No rust or staining |\n"
                    "| Copper sulfate (316 medical parts) | ASTM A967 Practice E | 1 part per batch | No copper deposit |",
                ),
            ),
            change(
                "Citric acid passivation (ASTM A967 Citric 2) added as the preferred method; the "
                "nitric line is to be taken out of use.",
                (
                    "ASTM A967/A967M (EXT-004), method Nitric 2: nitric acid 20–25% v/v, 49–54 °C, at\n"
                    "least 20 minutes.",
                    "ASTM A967/A967M (EXT-004):\n\n"
                    "- **preferred:** method Citric 2 – citric acid 4–10% w/v, 49–60 °C, at least\n"
                    "  20 minutes;\n"
                    "- **until the nitric line is taken out of use:** method Nitric 2 – nitric acid\n"
                    "  20–25% v/v, 49–54 °C, at least 20 minutes.",
                ),
            ),
        ),
    ),
    Doc(
        "SPC",
        "Surface finish and cosmetic acceptance criteria",
        "gevans",
        SPC_SURFACE,
        process="P-02",
        description="Roughness classes and cosmetic acceptance where the drawing is silent.",
        reviewers=("emccarthy",),
        approvers=("quality",),
        reader_departments=("Quality", "Machining"),
        ages=(770,),
        overdue=True,
    ),
    Doc(
        "SPC",
        "Laser marking specification (UDI)",
        "gevans",
        SPC_UDI,
        process="P-02",
        description="Content, process and quality of laser-marked UDI codes on medical parts.",
        reviewers=("emccarthy", "quality"),
        approvers=("ceo",),
        reader_departments=("Engineering", "Quality"),
        then=Then("review", age=1),
        first_reason="New specification: Celtic MedTech requires UDI marking on the parts "
        "of its new handpiece (management review decision).",
    ),
    Doc(
        "PLN",
        "Control plan – H-220 hydraulic valve housing",
        "owner",
        PLN_CONTROL,
        process="P-04",
        description="Characteristics, methods, frequencies and reactions for H-220.",
        reviewers=("emccarthy",),
        approvers=("quality",),
        reader_departments=("Machining",),
        ages=(900, 400),
        overdue=True,
        revisions=(
            change(
                "Cpk of the Ø22H7 bore dropped below 1.33: check frequency doubled and an SPC "
                "chart added; thread gauge frequency relaxed after 12 months without a reject.",
                (
                    "| 20 | Ø22H7 bore | 22.000–22.021 | Bore gauge | 1 in 10 | Stop, adjust, check last 10 |",
                    "| 20 | Ø22H7 bore | 22.000–22.021 | Bore gauge, X-bar/R chart | 1 in 5 | Stop, adjust, check last 5 |",
                ),
                (
                    "| 30 | Thread M12×1.5 | 6H | Thread plug gauge | 1 in 5 | Stop, replace tap |",
                    "| 30 | Thread M12×1.5 | 6H | Thread plug gauge | 1 in 10 | Stop, replace tap |",
                ),
            ),
        ),
    ),
    Doc(
        "PLN",
        "Internal audit programme",
        "quality",
        PLN_AUDITS,
        process="P-12",
        description="Which process is audited when, by whom, with what focus (QP-003).",
        reviewers=("emccarthy",),
        approvers=("ceo",),
        reader_roles=("internal_auditor", "process_owner"),
        ages=(1000, 640, 280, 20),
        revisions=(
            change(
                "Rising trend of machining nonconformities: P-04 audited twice a year.",
                (
                    "| P-04 Production – machining | Priya Raman | Feb | First-off, in-process checks |",
                    "| P-04 Production – machining | Priya Raman | Feb, Aug | First-off, in-process checks, deburring |",
                ),
            ),
            change(
                "Pune sourcing office added (remote audit); P-12 audited internally now that the "
                "second auditor is qualified.",
                (
                    "| P-12 Quality management and improvement | External (NordCert pre-audit) | Dec | Management review, CAPA |",
                    "| P-12 Quality management and improvement | Claire Dunne | Dec | Management review, CAPA |\n"
                    "| Pune sourcing office (remote) | Priya Raman | Apr | Source inspection, supplier development |",
                ),
            ),
            change(
                "Next cycle: auditors rotated so no one audits the same process two years running; "
                "customer complaints trend puts P-11 twice a year.",
                (
                    "| P-06 Inspection and testing | Priya Raman | Oct | CMM, goods-in |",
                    "| P-06 Inspection and testing | Claire Dunne | Oct | CMM, goods-in, FAI |",
                ),
                (
                    "| P-07 Warehouse and dispatch | Claire Dunne | Nov | Identification, packaging |",
                    "| P-07 Warehouse and dispatch | Priya Raman | Nov | Identification, packaging of medical parts |",
                ),
                (
                    "| P-11 Customer service | Claire Dunne | Aug | Complaints, returns |",
                    "| P-11 Customer service | Priya Raman | Mar, Sep | Complaints, 8D reports, returns |",
                ),
            ),
        ),
    ),
]

# ==================================================================================
# Documents of external origin
# ==================================================================================

EXT_9001 = """\
**ISO 9001:2015** Quality management systems – Requirements. Fifth edition, 2015-09-15.

- Licensed PDF for three concurrent users, in the Quality share, folder "Standards".
- Kestrel is certified to this standard by NordCert Assurance (certificate
  NCA-QMS-20417), covering the scope in SCP-001.
- The quality manual QM-001 cross-refers each clause to our procedures.
"""

EXT_13485 = """\
**ISO 13485:2016** Medical devices – Quality management systems – Requirements for
regulatory purposes. Third edition, 2016-03-01.

- Licensed PDF for one user (Quality Manager), in the Quality share.
- Kestrel is not certified to ISO 13485. The standard is held because the quality
  agreements of our medical device customers call up clauses 4.2.5 (records),
  7.5.8 (identification), 7.5.9 (traceability) and 8.3 (nonconforming product).
"""

EXT_CMT = """\
**CMT-ENG-004** Engineering drawing and documentation requirements for suppliers.
Celtic MedTech Ltd, revision E.

- Received from Celtic MedTech's supplier portal; the customer notifies revisions.
- Key requirements: GD&T to ASME Y14.5-2009; critical characteristics marked ◆ need
  Cpk ≥ 1.33; first-article report with every new revision.
"""

EXT_A967 = """\
**ASTM A967/A967M-17** Standard specification for chemical passivation treatments for
stainless steel parts. ASTM International.

- Licensed PDF in the Quality share, folder "Standards".
- Called up by SPC-002 and by customer drawings for 303, 304 and 316 parts.
"""

EXT_2768 = """\
**ISO 2768-1:1989** General tolerances – Part 1: Tolerances for linear and angular
dimensions without individual tolerance indications.

- Licensed PDF in the Quality share. Most customer drawings call up class m (medium).
"""

EXTERNAL = [
    Doc(
        "EXT",
        "ISO 9001:2015 Quality management systems – Requirements",
        "auditor",
        EXT_9001,
        process="P-12",
        issuer="ISO (International Organization for Standardization)",
        description="The standard the QMS is certified to.",
        approvers=("quality",),
        reader_roles=("internal_auditor",),
        ages=(1050, 560),
        revisions=(
            change(
                "ISO 9001:2015/Amd 1:2024 (climate action changes) published: amendment added to "
                "the licensed copy.",
                (
                    "**ISO 9001:2015** Quality management systems – Requirements. Fifth edition, 2015-09-15.",
                    "**ISO 9001:2015** Quality management systems – Requirements. Fifth edition, 2015-09-15,\n"
                    "with **Amendment 1:2024** (climate action changes to 4.1 and 4.2).",
                ),
            ),
        ),
    ),
    Doc(
        "EXT",
        "ISO 13485:2016 Medical devices – Quality management systems",
        "auditor",
        EXT_13485,
        process="P-12",
        issuer="ISO (International Organization for Standardization)",
        description="Held for the clauses our medical device customers call up.",
        approvers=("quality",),
        review_months=0,
        ages=(1000,),
    ),
    Doc(
        "EXT",
        "Celtic MedTech engineering drawing requirements (CMT-ENG-004)",
        "gevans",
        EXT_CMT,
        process="P-02",
        issuer="Celtic MedTech Ltd",
        description="Customer standard for drawings, GD&T and first-article reports.",
        reviewers=("emccarthy",),
        approvers=("quality",),
        reader_departments=("Engineering",),
        readers=("emccarthy",),
        ages=(820, 300),
        revisions=(
            change(
                "Customer issued revision F: GD&T to ASME Y14.5-2018; UDI marking requirements "
                "added.",
                (
                    "Celtic MedTech Ltd, revision E.",
                    "Celtic MedTech Ltd, revision F.",
                ),
                (
                    "- Key requirements: GD&T to ASME Y14.5-2009; critical characteristics marked ◆ need\n"
                    "  Cpk ≥ 1.33; first-article report with every new revision.",
                    "- Key requirements: GD&T to ASME Y14.5-2018; critical characteristics marked ◆ need\n"
                    "  Cpk ≥ 1.33; first-article report with every new revision; UDI Data Matrix marking\n"
                    "  where the drawing calls for it (section 9).",
                ),
            ),
        ),
    ),
    Doc(
        "EXT",
        "ASTM A967/A967M Chemical passivation treatments for stainless steel parts",
        "gevans",
        EXT_A967,
        process="P-02",
        issuer="ASTM International",
        description="Passivation standard called up by SPC-002.",
        reviewers=("emccarthy",),
        approvers=("quality",),
        ages=(960,),
    ),
    Doc(
        "EXT",
        "ISO 2768-1 General tolerances",
        "gevans",
        EXT_2768,
        process="P-02",
        issuer="ISO (International Organization for Standardization)",
        description="General tolerances called up on most customer drawings.",
        approvers=("quality",),
        review_months=0,
        ages=(1040,),
    ),
]

# ==================================================================================
# Records ({year} and {date} are filled from the day the record was made)
# ==================================================================================

REC_REVIEW_OLD = """\
## Management review {year}

**Date:** {date}, Galway boardroom

**Present:** Aoife Brennan (CEO, chair), Declan Murphy, Niamh O'Connor, Marek Nowak
(minutes), Ciarán Doyle, Gareth Evans, Sinéad Byrne, Paweł Kowalski, Fiona Gallagher

## 1. Actions from the last review

All seven actions closed except the Limerick test rig replacement (carried over).

## 2. Performance

| Objective | Target | Result | Trend |
|---|---|---|---|
| On-time delivery | ≥ 95% | 92.4% | improving |
| Customer-reported defects | ≤ 800 ppm | 640 ppm | better |
| Internal scrap | ≤ 1.5% of cost of sales | 1.8% | worse |
| Supplier on-time delivery | ≥ 90% | 86% | stable |

## 3. Audits and customer feedback

NordCert surveillance audit: no major findings, two minors (calibration recall, training
records), both closed. Customer survey: 8.1 / 10 (last year 7.8).

## 4. Decisions

| Decision | Owner | Due |
|---|---|---|
| Scrap reduction project on the machining cell (Pareto of causes) | Ciarán Doyle | Q2 |
| Second internal auditor to be trained | Marek Nowak | Q1 |
| Budget for the replacement test rig TR-02 approved | Declan Murphy | Q1 |
| Supplier development plan for Kaveri Forgings | Sinéad Byrne | Q2 |

The QMS remains suitable, adequate and effective.
"""

REC_REVIEW_NEW = """\
## Management review {year}

**Date:** {date}, Galway boardroom

**Present:** Aoife Brennan (CEO, chair), Declan Murphy, Niamh O'Connor, Marek Nowak
(minutes), Ciarán Doyle, Gareth Evans, Sinéad Byrne, Paweł Kowalski, Fiona Gallagher,
Liam Fitzgerald, Eoin McCarthy

## 1. Actions from the last review

Scrap project delivered a 0.4-point reduction; second auditor qualified; TR-02 in
service; Kaveri Forgings improved to 91% on time.

## 2. Performance

| Objective | Target | Result | Trend |
|---|---|---|---|
| On-time delivery | ≥ 95% | 95.8% | better |
| Customer-reported defects | ≤ 600 ppm | 710 ppm | worse (burrs on H-220) |
| Internal scrap | ≤ 1.5% of cost of sales | 1.4% | better |
| Supplier on-time delivery | ≥ 90% | 91% | better |

## 3. Context

ISO 9001 Amd 1:2024: climate change considered; customers ask for carbon data. The UDI
marking requirement from Celtic MedTech needs a laser marker and a new specification.

## 4. Decisions

| Decision | Owner | Due |
|---|---|---|
| Laser marker LM-01 purchased; SPC-004 and a work instruction written | Gareth Evans | Q1 |
| Cross-hole deburring: verify the corrective action on H-220 for 5 lots | Marek Nowak | Q1 |
| Energy and carbon data for customers, by site | Declan Murphy | Q2 |
| Citric acid passivation line to replace nitric acid | Ciarán Doyle | Q2 |

The QMS remains suitable, adequate and effective; objectives for next year agreed as in
the table, with customer-reported defects held at ≤ 600 ppm.
"""

REC_CALIBRATION = """\
## Calibration certificates {year} – external laboratories

| Certificate | Equipment | Laboratory | Date | Result |
|---|---|---|---|---|
| MC-{year}-0412 | CMM Zeiss Contura (CMM-01) | Metrology Centre Ireland (INAB 112C) | {date} | Pass, MPE 1.9 + L/300 µm |
| MC-{year}-0413 | Reference sphere RS-01 | Metrology Centre Ireland (INAB 112C) | {date} | Pass |
| PT-{year}-118 | Pressure transducer PT-03 | Druck Calibration Services (UKAS 0312) | {date} | Pass |
| GB-{year}-077 | Gauge block set GB-01, grade 0 | Metrology Centre Ireland (INAB 112C) | {date} | Pass |
"""

REC_PRICING = """\
## Supplier pricing agreements in force

| Supplier | Scope | Term | Price basis | Clauses |
|---|---|---|---|---|
| Kaveri Forgings Pvt Ltd | 316 housing forgings H-220, FL-310 | 2 years | USD per piece, FCA Pune | Nickel surcharge monthly on LME average |
| Rheinmetall Stahlhandel GmbH | 304 and 316 bar | 1 year | EUR per kg | Alloy surcharge monthly |
| Midlands Bar Stock Ltd | 42CrMo4 bar | 1 year | GBP per kg | Fixed for 6 months |
| Anodica Surface Finishing | Hard anodising | 1 year | EUR per rack, minimum lot charge €180 | Price review at 6 months |
| Polyseal O-Rings BV | FKM O-rings | 2 years | EUR per 1000 | Fixed |
"""

REC_AUDITS = """\
## Internal audit reports {year} – summary

| Audit | Process | Auditor | Findings | Status |
|---|---|---|---|---|
| IA-{year}-01 | P-09 Calibration | Claire Dunne | 1 minor (overdue gauge in use) | Closed |
| IA-{year}-02 | P-04 Production – machining | Priya Raman | 2 minor, 1 observation | Closed |
| IA-{year}-03 | P-01 Sales and order handling | Claire Dunne | 1 minor (delivery date check) | Closed |
| IA-{year}-04 | P-08 Maintenance | Priya Raman | none | – |
| IA-{year}-05 | P-05 Production – assembly | Claire Dunne | 1 minor (torque check sheet) | Closed |
| IA-{year}-06 | P-02 Design and development | Priya Raman | 1 observation | – |
| IA-{year}-07 | P-10 HR and training | Priya Raman | 1 minor (agency induction) | Closed |
| IA-{year}-08 | P-11 Customer service | Claire Dunne | none | – |
| IA-{year}-09 | P-03 Purchasing | Claire Dunne | 1 major (supplier not re-evaluated) | Closed |
| IA-{year}-10 | P-06 Inspection and testing | Priya Raman | 1 minor | Closed |
| IA-{year}-11 | P-07 Warehouse and dispatch | Claire Dunne | none | – |

All reports in the audit folder; nonconformities handled in Hoshin under QP-005.
"""

RECORDS = [
    Doc(
        "REC",
        "Management review minutes {year}",
        "quality",
        REC_REVIEW_OLD,
        process="P-12",
        description="Minutes of the annual management review, with decisions and actions.",
        reviewers=("owner",),
        approvers=("ceo",),
        reader_roles=("top_management",),
        retention_years=10,
        disposition="archive",
        ages=(400,),
        then=Then(
            "close",
            age=370,
            comment="Minutes final and every decision of the review carried into actions: "
            "record closed.",
        ),
    ),
    Doc(
        "REC",
        "Management review minutes {year}",
        "quality",
        REC_REVIEW_NEW,
        process="P-12",
        description="Minutes of the annual management review, with decisions and actions.",
        reviewers=("owner",),
        approvers=("ceo",),
        reader_roles=("top_management",),
        retention_years=10,
        disposition="archive",
        ages=(30,),
    ),
    Doc(
        "REC",
        "Calibration certificates {year} batch",
        "owner",
        REC_CALIBRATION,
        process="P-09",
        description="Certificates of the equipment calibrated by external laboratories.",
        approvers=("quality",),
        disposition="destroy",
        ages=(200, 60),
        revisions=(
            change(
                "Certificates of the second half-year added (height gauges, torque analyser).",
                (
                    "| GB-{year}-077 | Gauge block set GB-01, grade 0 | Metrology Centre Ireland (INAB 112C) | {date} | Pass |",
                    "| GB-{year}-077 | Gauge block set GB-01, grade 0 | Metrology Centre Ireland (INAB 112C) | {date} | Pass |\n"
                    "| HG-{year}-031 | Height gauge HG-014 | Metrology Centre Ireland (INAB 112C) | {date2} | Pass after adjustment |\n"
                    "| TA-{year}-009 | Torque analyser TA-01 | Norbar Calibration (UKAS 0256) | {date2} | Pass |\n"
                    "| PT-{year}-205 | Pressure transducer PT-03 | Druck Calibration Services (UKAS 0312) | {date2} | Pass |",
                ),
            ),
        ),
    ),
    Doc(
        "REC",
        "Supplier pricing agreements",
        "sbyrne",
        REC_PRICING,
        process="P-03",
        description="Price agreements with the main suppliers: commercially confidential.",
        approvers=("dmurphy",),
        confidentiality="confidential",
        access=("dmurphy", "rhealy", "adeshpande"),
        disposition="destroy",
        ages=(450, 90),
        revisions=(
            change(
                "Kaveri Forgings agreement renewed for two years with a steel surcharge clause; "
                "Polyseal prices fixed for a further two years.",
                (
                    "| Kaveri Forgings Pvt Ltd | 316 housing forgings H-220, FL-310 | 2 years | USD per piece, FCA Pune | Nickel surcharge monthly on LME average |",
                    "| Kaveri Forgings Pvt Ltd | 316 housing forgings H-220, FL-310, MN-75 blanks | 2 years (renewed) | USD per piece, FCA Pune | Nickel and steel surcharge monthly on LME average; 2% rebate above 20,000 pieces |",
                ),
            ),
        ),
    ),
    Doc(
        "REC",
        "Internal audit reports {year}",
        "quality",
        REC_AUDITS,
        process="P-12",
        description="Summary of the year's internal audits; reports in the audit folder.",
        reviewers=("emccarthy",),
        approvers=("ceo",),
        disposition="archive",
        ages=(340,),
        then=Then(
            "close",
            age=330,
            comment="All audits of the year reported and their findings closed.",
        ),
    ),
]

ALL = [
    *POLICIES,
    *SCOPE_AND_MANUAL,
    *PROCEDURES,
    *WORK_INSTRUCTIONS,
    *FORMS_SPECS_PLANS,
    *EXTERNAL,
    *RECORDS,
]
