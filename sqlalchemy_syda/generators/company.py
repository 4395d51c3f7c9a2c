"""Organisations: company names, industries, departments, job titles.

Company names and job titles come from Faker pools of the locale; industries
and departments are short curated lists, weighted the way real CRMs look::

    >>> SampledFrom(INDUSTRIES, name="industry")
"""

from __future__ import annotations

INDUSTRIES = (
    "Technology", "Software", "Healthcare", "Finance", "Banking", "Insurance", "Retail", "E-commerce",
    "Manufacturing", "Education", "Real Estate", "Construction", "Energy", "Telecommunications",
    "Transportation", "Logistics", "Hospitality", "Media", "Entertainment", "Agriculture", "Automotive",
    "Pharmaceuticals", "Biotechnology", "Consulting", "Legal Services", "Government", "Non-profit",
    "Aerospace", "Food & Beverage", "Utilities",
)

DEPARTMENTS = (
    "Engineering", "Marketing", "Sales", "Finance", "Human Resources", "Operations", "Customer Support",
    "Product", "Legal", "Research and Development", "IT", "Procurement", "Quality Assurance", "Design",
    "Business Development", "Data Science", "Security", "Facilities", "Communications", "Administration",
)
