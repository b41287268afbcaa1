"""`python -m flowledger_validator` starts the gRPC server."""
from flowledger_validator.server import main

main()
