"""A network built from layers saves and loads like the historical nets: its architecture written down as JSON.

Before, ``save()`` of a hand-built ``Sequential`` refused ("has no 'spec'"), so a reader's own net could not be
kept. The file rebuilds it with a fixed table of layer types; nothing in it is run (no pickle, no import by name).
"""

from __future__ import annotations

import inspect
import json
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import annhist.cnn as cnn_package
import annhist.layers as layers_module
from annhist.cnn import AvgPool2d, Conv2d, Flatten, MaxPool2d, Sequential, Subsampling, load_network
from annhist.cnn.architecture import LAYERS, describe
from annhist.cnn.nets import rebuild
from annhist.cnn.rbf import RBF
from annhist.io import load_arrays, save_arrays
from annhist.layers import ActivationLayer, Dense, Dropout, Layer
from annhist.optimizers import Adam


def every_layer_net(**settings) -> Sequential:
    layers = [Conv2d(2, 3, 3, padding=1, pad_value=-1.0, stride=1, table=[[1, 0, 1], [1, 1, 0]], bias="unshared",
                     input_size=(6, 6), random_state=0), ActivationLayer("tanh"),
              Subsampling(3, 2, random_state=1), AvgPool2d(1), MaxPool2d(1), Flatten(), Dropout(0.2, random_state=5),
              Dense(27, 5, random_state=2), ActivationLayer("lecun_tanh"), Dense(5, 4, bias=False, random_state=3),
              RBF(np.random.default_rng(0).normal(size=(3, 4)))]
    return Sequential(layers, input_shape=(2, 6, 6), loss="rbf_map", eta=0.02, batch_size=2, epochs=3,
                      shuffle=True, random_state=7, **settings)


X = np.random.default_rng(1).normal(size=(8, 2, 6, 6))
Y = np.arange(8) % 3


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_a_hand_built_net_round_trips_and_trains_on_as_the_original(tmp_path, dtype):
    net = every_layer_net(dtype=dtype).fit(X, Y)
    back = load_network(net.save(tmp_path / "mine.npz"))
    assert [type(layer) for layer in back.layers] == [type(layer) for layer in net.layers]
    assert (back.input_shape, back.loss, back.eta, back.batch_size, back.epochs, back.shuffle, back.dtype) == \
        (net.input_shape, net.loss, net.eta, net.batch_size, net.epochs, net.shuffle, net.dtype)
    for (k, a), b in zip(net.get_weights().items(), back.get_weights().values()):
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes(), k
    assert np.array_equal(back.layers[0].table, net.layers[0].table)
    assert back.layers[-1].centres.tobytes() == net.layers[-1].centres.tobytes()
    assert back.decision_function(X).tobytes() == net.decision_function(X).tobytes()


def test_the_seeds_are_kept_so_training_after_loading_draws_the_same_numbers(tmp_path):
    net = every_layer_net()                                  # shuffling and dropout both draw
    back = load_network(net.save(tmp_path / "fresh.npz"))
    net.fit(X, Y)
    back.fit(X, Y)
    assert back.decision_function(X).tobytes() == net.decision_function(X).tobytes()


def test_every_layer_type_of_the_package_can_be_written_down():
    concrete = {cls for module in (cnn_package, layers_module) for _, cls in inspect.getmembers(module, inspect.isclass)
                if issubclass(cls, Layer) and not inspect.isabstract(cls) and not cls.__name__.startswith("_")}
    assert concrete == set(LAYERS.values())


def test_a_layer_of_another_type_is_refused_naming_it_and_a_way_out():
    class Scale(ActivationLayer):                           # a reader's own layer
        pass

    class Dense(layers_module.Dense):                       # the same name is not the same layer
        pass

    for i, odd in ((1, Scale("tanh")), (0, Dense(3, 3))):
        net = Sequential([layers_module.Dense(3, 3), ActivationLayer("tanh")], input_shape=(3,))
        net.layers[i] = odd
        name = type(odd).__name__
        with pytest.raises(ValueError, match=rf"Layer {i} of this Sequential is a {name}, which save\(\) "
                                             r"cannot write down.*annhist.io.save_arrays"):
            describe(net)


def test_saving_warns_that_the_optimizer_is_not_kept(tmp_path):
    net = every_layer_net(optimizer=Adam(eta=0.001))
    with pytest.warns(UserWarning, match=r"does not keep the optimizer \(Adam\).*SGD\(eta=0.02\)"):
        net.save(tmp_path / "adam.npz")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        every_layer_net().save(tmp_path / "sgd.npz")         # the default SGD(eta): nothing to say


def _with_architecture(tmp_path, text: str):
    good = every_layer_net().save(tmp_path / "good.npz")
    arrays = load_arrays(good, kind="annhist.cnn.Sequential")
    arrays["spec"] = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    return save_arrays(tmp_path / "bad.npz", arrays, kind="annhist.cnn.Sequential")


def _architecture(**change) -> str:
    arch = json.loads(describe(every_layer_net()))
    for key, value in change.items():
        if key == "layer0":
            arch["layers"][0] = value
        else:
            arch[key] = value
    return json.dumps(arch)


@pytest.mark.parametrize("text, needle", [
    ("{not json", "cannot be rebuilt"),
    ('{"format": "annhist.cnn.Sequential/1"}', "cannot be rebuilt"),
    (_architecture(format="other/2"), "unknown format 'other/2'"),
    (_architecture(layer0={"type": "os.system", "args": {}}), "unknown layer type 'os.system'"),
    (_architecture(layer0={"type": "Conv2d", "args": {"in_channels": -2}}), "cannot be rebuilt"),
    (_architecture(layer0={"type": "Flatten", "args": {"evil": 1}}), "cannot be rebuilt"),
    (_architecture(settings={"loss": "mse"}), "cannot be rebuilt"),
    (_architecture(settings={**json.loads(describe(every_layer_net()))["settings"], "shuffle": "yes"}),
     "'shuffle' must be true or false"),
    (_architecture(settings={**json.loads(describe(every_layer_net()))["settings"], "random_state": "abc"}),
     "'random_state' parameter of Sequential"),
], ids=["json", "no-layers", "format", "type", "args", "unknown-arg", "settings", "shuffle", "seed"])
def test_a_wrong_architecture_is_refused_with_a_value_error(tmp_path, text, needle):
    with pytest.raises(ValueError, match=needle):
        load_network(_with_architecture(tmp_path, text))


def test_an_architecture_rebuilds_without_the_weights_and_the_file_holds_no_object(tmp_path):
    net = every_layer_net()
    fresh = rebuild(describe(net))
    with pytest.raises(ValueError, match="cannot be rebuilt"):
        rebuild("[1, 2]")
    assert fresh.count_parameters() == net.count_parameters() and fresh.shapes_ == net.shapes_
    with np.load(net.save(tmp_path / "plain.npz"), allow_pickle=False) as f:
        assert all(f[k].dtype != object for k in f.files)


def _paths(node, path=()):
    """Every (path, value) leaf of a JSON document."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*path, k))
    elif isinstance(node, list) and node and not all(isinstance(v, (int, float)) for v in node):
        for i, v in enumerate(node):
            yield from _paths(v, (*path, i))
    else:
        yield path, node


JUNK = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
                 st.text(max_size=5), st.lists(st.integers(-3, 3), max_size=3), st.dictionaries(st.text(max_size=3),
                                                                                               st.integers(), max_size=2))
LEAVES = list(_paths(json.loads(describe(every_layer_net()))))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(LEAVES), JUNK)
def test_any_value_changed_in_an_architecture_is_loaded_or_refused_with_a_value_error(tmp_path, leaf, junk):
    arch = json.loads(describe(every_layer_net()))
    node = arch
    for key in leaf[0][:-1]:
        node = node[key]
    if not leaf[0]:
        return
    node[leaf[0][-1]] = junk
    text = json.dumps(arch)
    try:
        net = rebuild(text)
    except ValueError as exc:
        assert "cannot be rebuilt" in str(exc)
        return
    assert isinstance(net, Sequential)


def test_a_file_whose_architecture_nests_too_deep_is_a_value_error(tmp_path):
    # json recursed through 100,000 nested lists and raised RecursionError out of load_network
    text = '{"format": "annhist.cnn.Sequential/1", "layers": ' + "[" * 100_000 + "]" * 100_000 + "}"
    path = save_arrays(tmp_path / "deep.npz", {"spec": np.frombuffer(text.encode("ascii"), dtype=np.uint8)},
                       kind="annhist.cnn.Sequential")
    with pytest.raises(ValueError, match=r"The architecture in this file cannot be rebuilt: maximum recursion depth"):
        load_network(path)
