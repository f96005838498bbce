"""The stacked configs: one defaults file (config.yaml), overlays that list only what they change."""

import pytest
import yaml

from conftest import REPO, TINY_CONFIG, copy_workflow, planned_jobs, run_snakemake
from rgcoarse.config.layers import REPLACED_WHOLE, layered_config, merge
from rgcoarse.config.validation import ConfigError

SCHEMA = yaml.safe_load((REPO / "workflow" / "schemas" / "config.schema.yaml").read_text())
DEFAULTS = yaml.safe_load((REPO / "config.yaml").read_text())


def test_maps_merge_key_by_key_and_lists_replace():
    base = {"ising": {"n_samples": 10, "temperatures": [1.0, 2.0]}, "seed": 1}
    merged = merge(base, {"ising": {"temperatures": [3.0]}})
    assert merged == {"ising": {"n_samples": 10, "temperatures": [3.0]}, "seed": 1}
    assert base["ising"]["temperatures"] == [1.0, 2.0]  # inputs untouched


@pytest.mark.parametrize("dotted", sorted(REPLACED_WHOLE))
def test_maps_meant_whole_are_replaced_so_an_overlay_can_remove_an_entry(dotted):
    *parents, last = dotted.split(".")
    def nest(value):
        for key in reversed(dotted.split(".")):
            value = {key: value}
        return value
    merged = merge(nest({"a": {"x": 1}, "b": {"y": 2}}), nest({"b": {"z": 3}}))
    node = merged
    for key in parents + [last]:
        node = node[key]
    assert node == {"b": {"z": 3}}


def test_replaced_whole_names_existing_map_keys():
    for dotted in REPLACED_WHOLE:
        node = DEFAULTS
        for key in dotted.split("."):
            node = node[key]
        assert isinstance(node, dict), dotted


def test_a_renamed_key_is_refused_naming_the_new_one(tmp_path):
    overlay = tmp_path / "mine.yaml"
    overlay.write_text("glass_sensitivity: {replicas: 1}\n")
    with pytest.raises(ConfigError, match="config key glass_sensitivity was renamed glass_study"):
        layered_config(REPO / "config.yaml", [overlay])


def test_the_schema_holds_no_defaults():
    text = (REPO / "workflow" / "schemas" / "config.schema.yaml").read_text()
    assert "default:" not in text


def _keys(node, prefix=""):
    out = set()
    for key, value in node.items():
        out.add(prefix + key)
        if isinstance(value, dict) and prefix + key not in REPLACED_WHOLE:
            out |= _keys(value, prefix + key + ".")
    return out


def _schema_keys(node, prefix=""):
    out = set()
    for key, value in node.get("properties", {}).items():
        out.add(prefix + key)
        out |= _schema_keys(value, prefix + key + ".")
    return out


def test_the_defaults_file_states_every_schema_key():
    """Every key the schema knows has its default in config.yaml (nothing falls back on the schema)."""
    schema_top = _schema_keys(SCHEMA)
    defaults = _keys(DEFAULTS)
    optional = {k for k in schema_top if any(k.startswith(w + ".") for w in REPLACED_WHOLE)}
    missing = sorted(schema_top - defaults - optional)
    assert not missing, f"schema keys without a default in config.yaml: {missing}"


def _leaves(node, prefix=""):
    out = {}
    for key, value in node.items():
        if isinstance(value, dict) and value and prefix + key not in REPLACED_WHOLE:
            out.update(_leaves(value, prefix + key + "."))
        else:
            out[prefix + key] = value
    return out


def test_the_tiny_config_is_a_small_overlay():
    """It lists only values that differ from the defaults, and takes the rest from them."""
    overlay, defaults = _leaves(yaml.safe_load(TINY_CONFIG.read_text())), _leaves(DEFAULTS)
    repeated = sorted(k for k, v in overlay.items() if k in defaults and defaults[k] == v)
    assert not repeated, f"the tiny overlay repeats defaults: {repeated}"
    assert len(overlay) < len(defaults) / 2
    merged = layered_config(REPO / "config.yaml", [TINY_CONFIG])
    assert merged["ising"]["wolff_window"] == DEFAULTS["ising"]["wolff_window"]  # from the defaults
    assert merged["ising"]["lattice_size"] == 16  # from the overlay


def test_snakemake_lays_a_configfile_over_the_defaults_as_the_merged_copy_does(tmp_path):
    """--configfile OVERLAY on the default config.yaml plans the same jobs as the merged copy."""
    layered = copy_workflow(tmp_path / "layered", REPO / "config.yaml")
    (layered / "tiny.yaml").write_text(TINY_CONFIG.read_text())
    merged = copy_workflow(tmp_path / "merged")
    def jobs(directory, *args):
        proc = run_snakemake(directory, "-n", *args)
        assert proc.returncode == 0, proc.stderr[-3000:]
        return sorted((j.rule, tuple(j.output)) for j in planned_jobs(proc.stdout + proc.stderr))
    assert jobs(layered, "--configfile", "tiny.yaml") == jobs(merged)
