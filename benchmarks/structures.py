"""Seeded, realistic structure sets for the identify benchmark.

Drug-like molecules are assembled from common scaffolds and substituents (so most of a set is
ordinary chemistry that must be cleared quickly), mixed with fentanyl-type analogues and masked or
halogenated precursors built the same way, and with salts. Everything is generated: no data
file is needed.
"""

from __future__ import annotations

import random

from rdkit import Chem, RDLogger

RDLogger.DisableLog("rdApp.*")

# Scaffolds with two attachment points, [*:1] and [*:2].
SCAFFOLDS = [
    "[*:1]c1ccc([*:2])cc1",
    "[*:1]c1cccc([*:2])n1",
    "[*:1]C(=O)N[*:2]",
    "[*:1]N1CCN([*:2])CC1",
    "[*:1]C1CCN([*:2])CC1",
    "[*:1]c1nc2ccccc2n1[*:2]",
    "[*:1]OC(=O)C[*:2]",
    "[*:1]c1ccc2c(c1)OCO2.[*:2]C",
    "[*:1]S(=O)(=O)N[*:2]",
    "[*:1]c1ccc(cc1)C(=O)[*:2]",
    "[*:1]C1CCCCC1[*:2]",
    "[*:1]c1csc([*:2])n1",
    "[*:1]N1CCOCC1.[*:2]C",
    "[*:1]CC(O)C[*:2]",
    "[*:1]c1ccc2[nH]ccc2c1.[*:2]C",
    "[*:1]C(=O)c1ccco1.[*:2]C",
    # fentanyl-type and precursor-type scaffolds
    "CC[*:1].O=C([*:1])N(c1ccccc1)C1CCN(CC[*:2])CC1",
    "[*:1]C(=O)N(c1ccc([*:2])cc1)C1CCN(CCc2ccccc2)CC1",
    "CC(C)(C)OC(=O)N1CCC(Nc2ccc([*:1])cc2)CC1.[*:2]C",
    "O=C1CCN([*:1])CC1.[*:2]C",
    "[*:1]N1CCC(Nc2ccccc2)CC1.[*:2]C",
]

SUBSTITUENTS = [
    "[*:{n}]C",
    "[*:{n}]CC",
    "[*:{n}]C(C)C",
    "[*:{n}]OC",
    "[*:{n}]F",
    "[*:{n}]Cl",
    "[*:{n}]Br",
    "[*:{n}]O",
    "[*:{n}]N",
    "[*:{n}]C(F)(F)F",
    "[*:{n}]C#N",
    "[*:{n}]c1ccccc1",
    "[*:{n}]c1ccc(F)cc1",
    "[*:{n}]c1cccs1",
    "[*:{n}]c1ccco1",
    "[*:{n}]C1CC1",
    "[*:{n}]C1CCCC1",
    "[*:{n}]N(C)C",
    "[*:{n}]C(=O)O",
    "[*:{n}]C(=O)OC",
    "[*:{n}]CO",
    "[*:{n}]CCO",
    "[*:{n}]c1ccncc1",
    "[*:{n}]C=C",
    "[*:{n}]OCC",
    "[*:{n}]S(C)(=O)=O",
    "[*:{n}]N1CCCC1",
    "[*:{n}]c1ccc(Cl)cc1",
    "[*:{n}]CC(C)C",
    "[*:{n}][N+](=O)[O-]",
]

SALTS = ["", "", "", ".Cl", ".Cl.Cl", ".OC(=O)CC(O)(CC(=O)O)C(=O)O", ".O=C(O)C(=O)O", ".O"]


def _zip(scaffold: str, a: str, b: str) -> str | None:
    mol = Chem.MolFromSmiles(".".join((scaffold, a.format(n=1), b.format(n=2))))
    if mol is None:
        return None
    try:
        zipped = Chem.molzip(mol)
        Chem.SanitizeMol(zipped)
    except Exception:  # an impossible valence from a random combination: skip it
        return None
    frags = Chem.GetMolFrags(zipped, asMols=True)
    return Chem.MolToSmiles(max(frags, key=lambda m: m.GetNumHeavyAtoms()))


def distinct_structures(count: int, seed: int = 7) -> list[str]:
    """`count` distinct SMILES (some as salts), reproducible for a seed."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[str] = []
    attempts = 0
    while len(out) < count and attempts < count * 50:
        attempts += 1
        smiles = _zip(rng.choice(SCAFFOLDS), rng.choice(SUBSTITUENTS), rng.choice(SUBSTITUENTS))
        if smiles is None or smiles in seen:
            continue
        seen.add(smiles)
        out.append(smiles + rng.choice(SALTS))
    return out


def zipf_stream(pool: list[str], length: int, seed: int = 11, s: float = 1.1) -> list[str]:
    """A stream of queries where a few structures recur often, as in a day's orders."""
    rng = random.Random(seed)
    weights = [1.0 / (rank**s) for rank in range(1, len(pool) + 1)]
    return rng.choices(pool, weights=weights, k=length)
