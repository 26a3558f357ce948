# Pipeline image for Kubeflow Pipelines v2: the TFX 1.16 image with Sentinel installed at
# /sentinel (the compiled pipeline references components by dotted path and reads the schema
# from /sentinel/pipeline/schema/schema.pbtxt). Build and push with a pinned tag, e.g.
#   docker build -t REGISTRY/sentinel:0.1.0 . && docker push REGISTRY/sentinel:0.1.0
FROM tensorflow/tfx:1.16.0

ENV TF_USE_LEGACY_KERAS=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /sentinel
COPY constraints.txt setup.py README.md ./
COPY components ./components
COPY demo ./demo
COPY pipeline ./pipeline
COPY serving ./serving
COPY trainer ./trainer
COPY transform ./transform
RUN pip install --no-cache-dir -c constraints.txt -e . \
    && python -c "import components, pipeline, trainer, transform, serving"
