# The metadata lives in pyproject.toml. This file wires in pretix-plugin-build's build
# command, which compiles the .po catalogues (and needs gettext) whenever a wheel is built.
from setuptools import setup

try:
    from pretix_plugin_build.build import CustomBuild
    cmdclass = {"build": CustomBuild}
except ImportError:  # plain metadata queries without the build requirements installed
    cmdclass = {}

setup(cmdclass=cmdclass)
