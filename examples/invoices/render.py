"""One PDF invoice per generated invoice, with its lines and its customer.

    python examples/invoices/render.py            # writes invoices/invoices-0001.pdf ...
"""

from pathlib import Path

from examples.invoices.models import Customer, Invoice, InvoiceLine
from sqlalchemy_syda import render_documents

HERE = Path(__file__).parent

paths = render_documents(HERE / "invoice.html", [Customer, Invoice, InvoiceLine],
                         {Customer: 5, Invoice: 12, InvoiceLine: 40},
                         table=Invoice, to="pdf", out="invoices", seed=42, name="invoice-{{ number }}")
print(f"{len(paths)} invoices written to {paths[0].parent}/")
