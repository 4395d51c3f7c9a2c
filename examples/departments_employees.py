"""The seed document's SQLAlchemy example: departments, then employees with a foreign-key generator.

Apart from the import line (imports sorted, trailing spaces trimmed) the code is the seed
document's. Run it from any folder (it writes ``departments.csv`` and ``employees.csv`` there):
``python examples/departments_employees.py``; with an LLM configured (``OPENAI_*``, ``SYDA_LLM_*``)
the LLM writes the text columns.
It prints ✅ when every employee's ``department_id`` is one of the generated departments.
"""

import random

import pandas as pd
from sqlalchemy import Column, Float, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

from sqlalchemy_syda.structured import SyntheticDataGenerator

Base = declarative_base()

# Define models with rich docstrings and metadata
class Department(Base):
    """Organizational department that groups employees by business function.
    Departments are the primary organizational units within the company structure.
    """
    __tablename__ = 'departments'

    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False, unique=True,
                 comment="Official department name (e.g. Engineering, Marketing)")
    location = Column(String(100), comment="Primary office location of this department")
    budget = Column(Float, comment="Annual budget allocation in USD")

    # One-to-many: one department has many employees
    employees = relationship("Employee", back_populates="department")


class Employee(Base):
    """Company employee with their personal and professional details.
    Each employee belongs to a specific department and has associated job information.
    """
    __tablename__ = 'employees'

    id = Column(Integer, primary_key=True)
    first_name = Column(String(50), nullable=False,
                       comment="Employee's given name")
    last_name = Column(String(50), nullable=False,
                      comment="Employee's family name")
    email = Column(String(100), nullable=False, unique=True,
                  comment="Business email address for communication")
    department_id = Column(Integer, ForeignKey('departments.id'),
                          comment="Department where employee works")
    role = Column(String(100), comment="Job title or position within the company")
    salary = Column(Float, comment="Annual salary in USD")

    # Many-to-one: many employees belong to one department
    department = relationship("Department", back_populates="employees")

# Step 1: Generate departments first
generator = SyntheticDataGenerator()

# The system automatically extracts docstrings and column metadata
# so the prompt can be much simpler
departments_df = generator.generate_data(
    schema=Department,
    prompt="Generate realistic department data for a technology company.",
    sample_size=5,
    output_path='departments.csv'
)

# Step 2: Create custom generators for specific columns
departments_df = pd.read_csv('departments.csv')

# Register a column-specific generator for department_id
def department_id_fk_generator(row, col_name):
    # Sample from the existing department IDs
    return random.choice(departments_df['id'].tolist())

# Register the custom generator specifically for the department_id column
generator.register_generator('foreign_key', department_id_fk_generator, column_name='department_id')

# Step 3: Generate employee data with valid department_id references
# The system uses model docstrings and column metadata to inform the generation
employees_df = generator.generate_data(
    schema=Employee,
    prompt="Generate realistic employee data for a technology company.",
    sample_size=10,
    output_path='employees.csv'
)

# Verify referential integrity
valid_dept_ids = set(departments_df['id'].tolist())
employee_dept_ids = set(employees_df['department_id'].tolist())

print("Verifying referential integrity...")
if employee_dept_ids.issubset(valid_dept_ids):
    print("✅ All employee department_id values reference valid departments")
else:
    invalid_ids = employee_dept_ids - valid_dept_ids
    print(f"❌ Found {len(invalid_ids)} invalid department_id references: {invalid_ids}")
