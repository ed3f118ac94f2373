#!/usr/bin/env python3
"""Render a LAVA device dictionary (ci/lava/devices/X.jinja2, which extends a
device-type in ci/lava/device-types/) into the device YAML lava-run reads,
as lava-server would (jinja2, trim_blocks); VAR=VALUE pairs are passed in.
  lava_render.py CI_LAVA_DIR DEVICE_NAME OUT.yaml [VAR=VALUE...]"""
import os
import sys

import jinja2
import yaml

lava, name, out = sys.argv[1:4]
values = dict(kv.split("=", 1) for kv in sys.argv[4:])
env = jinja2.Environment(
    loader=jinja2.FileSystemLoader([os.path.join(lava, "devices"), os.path.join(lava, "device-types")]),
    trim_blocks=True,
    autoescape=False,
    undefined=jinja2.StrictUndefined,
)
text = env.get_template(name + ".jinja2").render(**values)
yaml.safe_load(text)  # a template that renders to broken YAML fails here, naming the line
with open(out, "w", encoding="utf-8") as f:
    f.write(text)
