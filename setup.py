"""Installs Sentinel's packages so TFX components can import them by dotted path."""

from setuptools import find_packages, setup

setup(
    name="sentinel-ct",
    version="0.1.0",
    description="Continuous-training TFX pipeline for security-camera image classification",
    python_requires=">=3.9,<3.11",
    packages=find_packages(include=["components*", "pipeline*", "trainer*", "transform*",
                                    "serving*", "demo*"]),
    package_data={"pipeline": ["schema/*.pbtxt"]},
    install_requires=["tfx[kfp]==1.16.0", "av", "matplotlib", "tensorflow-model-optimization"],
    extras_require={"test": ["pytest", "ruff"]},
    entry_points={"console_scripts": ["sentinel=pipeline.cli:main"]},
)
