"""The demo register and the empty register, generated deterministically (``python -m debiteuren.demo``)."""

from .generator import DEMO_PEILDATUM, DEMO_SEED, DemoRegister, build_demo, build_empty, generate_demo, main

__all__ = ["DEMO_PEILDATUM", "DEMO_SEED", "DemoRegister", "build_demo", "build_empty", "generate_demo", "main"]
