"""A clinic: patients, their emergency contacts, treatments, appointments, invoices with lines, payments.

The schema says in names and comments what a coherent clinic database holds, and a seed keeps it
(see the README section "Coherent across tables"): an appointment is not before the patient registered,
an invoice not before its appointment, a payment not before its invoice; an invoice line's price is the
treatment's fee; an invoice's total is the sum of its lines and ``line_count`` their number; one
emergency contact per patient is the primary one (a partial unique index says so too)::

    >>> from sqlalchemy_syda import generate
    >>> frames = generate(MODELS, {Patient: 20, EmergencyContact: 30, Treatment: 8, Appointment: 40,
    ...                            Invoice: 40, InvoiceLine: 90, Payment: 40}, seed=1)
    >>> lines, invoices = frames["invoice_lines"], frames["invoices"]
    >>> bool((invoices.set_index("id").line_count == lines.groupby("invoice_id").size()).all())
    True
"""


from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    text,
)
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Patient(Base):
    """A patient registered at the clinic."""
    __tablename__ = "patients"

    id = Column(Integer, primary_key=True)
    first_name = Column(String(50), nullable=False)
    last_name = Column(String(50), nullable=False)
    date_of_birth = Column(Date, nullable=False)
    email = Column(String(120), unique=True)
    country = Column(String(60), comment="Country of residence")
    registered_at = Column(DateTime, nullable=False, comment="When the patient registered")


class EmergencyContact(Base):
    """A person to call for a patient; one of them is the primary contact."""
    __tablename__ = "emergency_contacts"
    __table_args__ = (Index("one_primary_contact", "patient_id", unique=True,
                            sqlite_where=text("is_primary"), postgresql_where=text("is_primary")),)

    id = Column(Integer, primary_key=True)
    patient_id = Column(Integer, ForeignKey("patients.id"), nullable=False)
    full_name = Column(String(100), nullable=False)
    phone = Column(String(20))
    is_primary = Column(Boolean, nullable=False, default=False, comment="The contact to call first")


class Treatment(Base):
    """A treatment the clinic offers, at a fee."""
    __tablename__ = "treatments"

    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False, unique=True)
    price = Column(Numeric(10, 2), nullable=False, comment="Fee for one treatment")


class Appointment(Base):
    """A patient's visit."""
    __tablename__ = "appointments"

    id = Column(Integer, primary_key=True)
    patient_id = Column(Integer, ForeignKey("patients.id"), nullable=False)
    scheduled_at = Column(DateTime, nullable=False, comment="When the appointment takes place")
    status = Column(String(20), comment="Scheduled, Completed, Cancelled, No-show")


class Invoice(Base):
    """The bill for one appointment."""
    __tablename__ = "invoices"
    __table_args__ = (CheckConstraint("total_amount >= 0", name="invoice_total_not_negative"),)

    id = Column(Integer, primary_key=True)
    appointment_id = Column(Integer, ForeignKey("appointments.id"), nullable=False)
    issued_at = Column(DateTime, nullable=False, comment="When the invoice was issued")
    currency = Column(String(3), nullable=False, default="EUR")
    total_amount = Column(Numeric(12, 2), nullable=False, comment="Total of the invoice lines")
    line_count = Column(Integer, nullable=False, comment="Number of invoice lines")


class InvoiceLine(Base):
    """One treatment on an invoice."""
    __tablename__ = "invoice_lines"

    id = Column(Integer, primary_key=True)
    invoice_id = Column(Integer, ForeignKey("invoices.id"), nullable=False)
    treatment_id = Column(Integer, ForeignKey("treatments.id"), nullable=False)
    quantity = Column(Integer, nullable=False, comment="Treatments given")
    unit_price = Column(Numeric(10, 2), nullable=False, comment="Fee per treatment at the time")


class Payment(Base):
    """A payment against an invoice."""
    __tablename__ = "payments"

    id = Column(Integer, primary_key=True)
    invoice_id = Column(Integer, ForeignKey("invoices.id"), nullable=False)
    paid_at = Column(DateTime, nullable=False, comment="When the payment arrived")
    amount = Column(Numeric(12, 2), nullable=False)
    currency = Column(String(3), nullable=False, comment="Currency of the payment")


MODELS = [Patient, EmergencyContact, Treatment, Appointment, Invoice, InvoiceLine, Payment]
