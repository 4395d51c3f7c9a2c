#!/usr/bin/env python
"""The seed document's complete CRM example: five related models in one generate_related_data() call.

The models are the seed document's, kept once in ``examples/crm_models.py``; apart from importing
them from there (and the generator from ``sqlalchemy_syda``) the code is the seed document's. Run it
from any folder (it writes ``crm_data/<Model>.csv`` there): ``python examples/test_auto_related_models.py``.
It prints ✅ for each foreign key whose values all reference generated parents.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # the repository root

# The seed document's CRM models: Customer, Contact, Product, Order, OrderItem
from examples.crm_models import Contact, Customer, Order, OrderItem, Product

# Import the synthetic data generator
from sqlalchemy_syda.structured import SyntheticDataGenerator


def main():
    """Demonstrate automatic generation of related data with proper foreign key handling."""

    # Create a generator instance
    generator = SyntheticDataGenerator()

    # Define output directory
    output_dir = "crm_data"

    # Define custom prompts for each model (optional)
    prompts = {
        "Customer": """
        Generate diverse customer organizations for a B2B SaaS company.
        Include a mix of industries like technology, healthcare, finance, etc.
        """,

        "Product": """
        Generate products for a cloud software company.
        Products should include various software services, support packages, and consulting.
        """,

        "Order": """
        Generate realistic orders with appropriate dates and statuses.
        """,
    }

    # Define sample sizes for each model (optional)
    sample_sizes = {
        "Customer": 10,        # Base entities
        "Contact": 25,         # ~2-3 contacts per customer
        "Product": 15,         # Products catalog
        "Order": 30,           # ~3 orders per customer
        "OrderItem": 60,       # ~2 items per order
    }

    # Generate data for all models with automatic dependency resolution
    results = generator.generate_related_data(
        models=[Customer, Contact, Product, Order, OrderItem],
        prompts=prompts,
        sample_sizes=sample_sizes,
        output_dir=output_dir
    )

    # Verify referential integrity
    print("\n🔍 Verifying referential integrity:")

    # Check Contacts → Customers
    contact_customer_ids = set(results["Contact"]["customer_id"].tolist())
    valid_customer_ids = set(results["Customer"]["id"].tolist())
    if contact_customer_ids.issubset(valid_customer_ids):
        print("  ✅ All Contact.customer_id values reference valid Customers")

    # Check OrderItems → Products
    order_item_product_ids = set(results["OrderItem"]["product_id"].tolist())
    valid_product_ids = set(results["Product"]["id"].tolist())
    if order_item_product_ids.issubset(valid_product_ids):
        print("  ✅ All OrderItem.product_id values reference valid Products")


if __name__ == "__main__":
    main()
