"""The training lab's datasets: the bundled shapes (seeded, balanced, cached), CIFAR-10's binary
batches (written small by the tests, including damaged ones) and image folders."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from viewer.core.training.cifar import (
    CIFAR10_CLASSES,
    RECORD_BYTES,
    TEST_FILE,
    TRAIN_FILES,
    read_cifar10,
)
from viewer.core.training.dataset import DatasetError
from viewer.core.training.datasets import load_dataset, resized
from viewer.core.training.image_folder import read_image_folder
from viewer.core.training.shapes import SHAPE_CLASSES, shapes_dataset


def test_shapes_are_deterministic_from_the_seed_and_cached(tmp_path):
    first = shapes_dataset(16, seed=3, train_per_class=20, test_per_class=5, cache_dir=tmp_path)
    assert list(tmp_path.glob("*.npz"))  # written for next time
    from viewer.core.training import shapes

    shapes._cached.cache_clear()  # read back from the disk cache
    again = shapes_dataset(16, seed=3, train_per_class=20, test_per_class=5, cache_dir=tmp_path)
    drawn = shapes._generate(16, 3, 20, 5)  # and equal to drawing it afresh
    for name in ("train_images", "train_labels", "test_images", "test_labels"):
        assert np.array_equal(getattr(first, name), getattr(again, name))
        assert np.array_equal(getattr(first, name), drawn[name])
    other = shapes_dataset(16, seed=4, train_per_class=20, test_per_class=5, cache_dir=tmp_path)
    assert not np.array_equal(first.train_images, other.train_images)


def test_shapes_shapes_balance_names_and_normalisation(tmp_path):
    data = shapes_dataset(24, seed=0, train_per_class=30, test_per_class=7, cache_dir=tmp_path)
    assert data.train_images.shape == (300, 24, 24, 3) and data.train_images.dtype == np.uint8
    assert data.test_images.shape == (70, 24, 24, 3)
    assert np.bincount(data.train_labels).tolist() == [30] * 10
    assert np.bincount(data.test_labels).tolist() == [7] * 10
    assert data.class_names == SHAPE_CLASSES and len(set(SHAPE_CLASSES)) == 10 and data.name == "shapes"
    assert data.preprocessing.trained_size == 24
    batch = data.batch(data.train_images).numpy()
    assert batch.shape == (300, 3, 24, 24)
    assert np.allclose(batch.mean(axis=(0, 2, 3)), 0, atol=1e-2) and np.allclose(batch.std(axis=(0, 2, 3)), 1, atol=1e-2)
    # the shape is somewhere else in every image: the mean image of a class is not the shape
    assert data.train_images.std(axis=0).mean() > 40


@pytest.mark.parametrize("size", [15, 0, 16.0, True])
def test_shapes_refuse_sizes_under_16(size):
    with pytest.raises(DatasetError, match="at least 16"):
        shapes_dataset(size)


def _write_cifar(folder: Path, per_file: int = 4, labels=None, meta: bool = True) -> np.ndarray:
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    records = []
    for name in (*TRAIN_FILES, TEST_FILE):
        record = rng.integers(0, 256, (per_file, RECORD_BYTES), dtype=np.uint8)
        record[:, 0] = np.arange(per_file) % 10 if labels is None else labels
        (folder / name).write_bytes(record.tobytes())
        records.append(record)
    if meta:
        (folder / "batches.meta.txt").write_text("\n".join(CIFAR10_CLASSES) + "\n\n")
    return np.concatenate(records)


def test_cifar10_binary_batches_are_read_label_first_then_planes(tmp_path):
    records = _write_cifar(tmp_path / "cifar-10-batches-bin")
    data = read_cifar10(tmp_path)  # the folder that holds cifar-10-batches-bin works too
    assert data.name == "CIFAR-10" and data.class_names == CIFAR10_CLASSES
    assert data.train_images.shape == (20, 32, 32, 3) and data.test_images.shape == (4, 32, 32, 3)
    assert data.train_labels.tolist() == [0, 1, 2, 3] * 5
    first = records[0]
    assert data.train_images[0, 0, 0].tolist() == [first[1], first[1 + 1024], first[1 + 2048]]  # R, G, B of pixel (0, 0)
    assert data.train_images[0, 1, 2, 0] == first[1 + 32 + 2]  # row 1, column 2, red
    assert data.preprocessing.name == "CIFAR-10" and data.preprocessing.trained_size == 32
    assert load_dataset(tmp_path / "cifar-10-batches-bin", 32).train_images.shape == (20, 32, 32, 3)
    assert load_dataset(tmp_path, 16).train_images.shape == (20, 16, 16, 3)


def test_cifar10_damage_gets_a_sentence(tmp_path):
    folder = tmp_path / "cifar-10-batches-bin"
    _write_cifar(folder)
    (folder / "data_batch_3.bin").write_bytes((folder / "data_batch_3.bin").read_bytes()[:-100])
    with pytest.raises(DatasetError, match=r"data_batch_3.bin is truncated .*\(3 whole records"):
        read_cifar10(folder)
    _write_cifar(folder, labels=np.array([0, 1, 12, 3]))
    with pytest.raises(DatasetError, match=r"data_batch_1.bin is damaged: record 2 has the label 12"):
        read_cifar10(folder)
    _write_cifar(folder)
    (folder / "test_batch.bin").unlink()
    (folder / "data_batch_5.bin").unlink()
    with pytest.raises(DatasetError, match=r"lacks data_batch_5.bin, test_batch.bin"):
        read_cifar10(folder)
    (folder / "data_batch_1.bin").write_bytes(b"")
    with pytest.raises(DatasetError):
        read_cifar10(folder)


def test_cifar10_names_default_without_the_meta_file(tmp_path):
    _write_cifar(tmp_path, meta=False)
    assert read_cifar10(tmp_path).class_names[3] == "cat"


def _png(path: Path, size, colour) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path)


def test_an_image_folder_resizes_mixed_sizes_skips_bad_files_and_holds_out_every_fifth(tmp_path):
    for index in range(6):
        _png(tmp_path / "cats" / f"{index}.png", (40 + index, 30), (200, 10, 10))
        _png(tmp_path / "dogs" / f"{index}.jpg", (20, 64), (10, 10, 200))
    (tmp_path / "dogs" / "broken.png").write_bytes(b"not an image")
    (tmp_path / "dogs" / "notes.txt").write_text("ignored: not an image file name")
    data = read_image_folder(tmp_path, 16)
    assert data.class_names == ("cats", "dogs") and data.name == tmp_path.name
    assert data.train_images.shape == (10, 16, 16, 3) and data.test_images.shape == (2, 16, 16, 3)
    assert np.bincount(data.train_labels).tolist() == [5, 5] and data.test_labels.tolist() == [0, 1]
    assert data.note == "1 unreadable file skipped"
    assert abs(int(data.train_images[0, 8, 8, 0]) - 200) <= 1 and abs(int(data.train_images[-1, 8, 8, 2]) - 200) <= 1
    assert load_dataset(tmp_path, 16).class_names == ("cats", "dogs")


def test_an_image_folder_with_train_and_test_folders_uses_them(tmp_path):
    for split, count in (("train", 3), ("val", 1)):
        for name in ("a", "b", "c"):
            for index in range(count):
                _png(tmp_path / split / name / f"{index}.png", (8, 8), (index * 40, 0, 0))
    data = read_image_folder(tmp_path, 16)
    assert data.class_names == ("a", "b", "c")
    assert len(data.train_labels) == 9 and len(data.test_labels) == 3


def test_image_folder_problems_get_sentences(tmp_path):
    with pytest.raises(DatasetError, match="no folder"):
        read_image_folder(tmp_path / "missing")
    _png(tmp_path / "only" / "0.png", (8, 8), (0, 0, 0))
    with pytest.raises(DatasetError, match="at least two sub-folders"):
        read_image_folder(tmp_path)
    (tmp_path / "empty").mkdir()
    with pytest.raises(DatasetError, match=r"empty holds no readable image"):
        read_image_folder(tmp_path)
    _png(tmp_path / "empty" / "0.png", (8, 8), (0, 0, 0))
    with pytest.raises(DatasetError, match=r"has 1 readable image"):
        read_image_folder(tmp_path)
    with pytest.raises(DatasetError, match="no dataset at"):
        load_dataset(tmp_path / "nowhere", 32)


def test_resizing_a_dataset_keeps_labels_and_says_so(tmp_path):
    data = shapes_dataset(32, seed=0, train_per_class=2, test_per_class=1, cache_dir=tmp_path)
    small = resized(data, 16)
    assert small.train_images.shape == (20, 16, 16, 3) and np.array_equal(small.train_labels, data.train_labels)
    assert small.preprocessing.trained_size == 16 and "resized from 32x32 to 16x16" in small.note
    assert resized(data, 32) is data
