"""Command handlers: one module per command, its argparse arguments and its handler; the CLI assembles them."""
