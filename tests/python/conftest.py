"""Every backtest in the tests must run the policy it was given: a policy
failure (keel.PolicyFailureWarning) is an error unless a test expects it."""
import keel


def pytest_configure(config):
    config.addinivalue_line("filterwarnings", "error::keel.PolicyFailureWarning")
