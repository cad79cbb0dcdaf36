"""annhist.datasets.breast_cancer: the Wisconsin diagnostic data (Street, Wolberg & Mangasarian 1993) as chapter 10
uses it, with malignant coded 1 (scikit-learn codes benign as 1)."""

import numpy as np
from sklearn.datasets import load_breast_cancer

from annhist.datasets import breast_cancer


def test_breast_cancer_is_wdbc_with_malignant_as_one():
    X, y, names = breast_cancer()
    ref = load_breast_cancer()
    assert X.shape == (569, 30) and X.dtype == np.float64 and np.all(np.isfinite(X))
    assert len(names) == 30 and names[0] == "mean radius" and list(names) == list(ref.feature_names)
    assert np.bincount(y).tolist() == [357, 212]        # 357 benign, 212 malignant (the UCI description)
    np.testing.assert_array_equal(y, 1 - ref.target)    # scikit-learn: 0 = malignant
    np.testing.assert_array_equal(X, ref.data)
