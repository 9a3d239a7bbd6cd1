"""Shared building blocks: the simulated clock, seeded random streams, ids and FX rates.

Times are int64 microseconds since the Unix epoch, in UTC, until they are written.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa

from b2bkpi.generator import params as P

SECOND = 1_000_000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR
NULL_TS = np.iinfo(np.int64).min  # NaT once viewed as datetime64[us]


def day_us(d: date) -> int:
    return (d - date(1970, 1, 1)).days * DAY


@dataclass(frozen=True)
class Sim:
    """The run's arguments and the range's bounds; every random stream derives from the seed."""

    seed: int
    n_leads: int
    start: date
    end: date

    @property
    def t_start(self) -> int:
        return day_us(self.start)

    @property
    def t_end(self) -> int:
        """The last microsecond of the end day: nothing happens after it."""
        return day_us(self.end) + DAY - 1

    @property
    def sync_cap(self) -> int:
        """Latest `_fivetran_synced` of a first copy; re-sync copies land in the last hour."""
        return day_us(self.end) + 23 * HOUR

    @property
    def n_days(self) -> int:
        return (self.end - self.start).days + 1

    def rng(self, name: str) -> np.random.Generator:
        """An independent stream per named part, so that changing one part leaves the rest."""
        return np.random.default_rng([self.seed, zlib.crc32(name.encode())])


def to_datetime(us: np.ndarray) -> np.ndarray:
    return np.asarray(us, dtype=np.int64).view("datetime64[us]")


def to_date(us: np.ndarray) -> np.ndarray:
    return (np.asarray(us, dtype=np.int64) // DAY).astype("datetime64[D]")


def whole_seconds(us: np.ndarray) -> np.ndarray:
    return us - us % SECOND


def lognormal_days(rng: np.random.Generator, median: float, sigma: float, size) -> np.ndarray:
    return median * np.exp(sigma * rng.standard_normal(size))


def weighted(rng: np.random.Generator, options: dict, size) -> np.ndarray:
    """Draw keys of `options` ({value: weight}) as an array."""
    keys = list(options)
    p = np.array(list(options.values()), dtype=float)
    return np.array(keys)[rng.choice(len(keys), size=size, p=p / p.sum())]


def seasonal_times(sim: Sim, rng: np.random.Generator, n: int, hour_mean=13.0) -> np.ndarray:
    """Business-hour instants spread over the range with seasonality, weekdays and growth."""
    days = np.arange(sim.n_days)
    dates = np.datetime64(sim.start) + days
    months = dates.astype("datetime64[M]").astype(int) % 12
    weekdays = (dates.astype(int) + 3) % 7  # 1970-01-01 was a Thursday
    weight = (np.array(P.MONTH_SEASONALITY)[months] * np.array(P.WEEKDAY_WEIGHT)[weekdays]
              * (1 + P.GROWTH_PER_YEAR * days / 365))
    day = rng.choice(sim.n_days, size=n, p=weight / weight.sum())
    hours = np.clip(rng.normal(hour_mean, 3.5, n), 0, 24 - 1e-6)
    return whole_seconds(sim.t_start + day * DAY + (hours * HOUR).astype(np.int64))


class Draws:
    """One entity's pre-drawn uniforms and normals, consumed in order by a Python state machine.

    Drawing a block per entity up front keeps the loop fast and each entity's path independent
    of how many numbers the others used.
    """

    __slots__ = ("_u", "_z", "_i", "_j")

    def __init__(self, uniforms: list[float], normals: list[float]):
        self._u, self._z, self._i, self._j = uniforms, normals, 0, 0

    def u(self) -> float:
        self._i += 1
        return self._u[self._i - 1]

    def days(self, median: float, sigma: float) -> float:
        self._j += 1
        return max(P.MIN_WAIT_DAYS, median * math.exp(sigma * self._z[self._j - 1]))

    def pick(self, options: dict):
        """A key of {value: weight} (weights summing to 1)."""
        r = self.u()
        for value, weight in options.items():
            r -= weight
            if r < 0:
                return value
        return value


def draw_blocks(rng: np.random.Generator, n: int, n_uniform: int, n_normal: int):
    """Per-entity `Draws` from two matrices of random numbers."""
    uniforms = rng.random((n, n_uniform)).tolist()
    normals = rng.standard_normal((n, n_normal)).tolist()
    return [Draws(u, z) for u, z in zip(uniforms, normals)]


# ---- identifiers ---------------------------------------------------------------------------
_BASE62 = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", np.uint8)
_SF_SUFFIX = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", np.uint8)
_SF_SEQUENCE_BASE = 11 * 62**6  # so that ids do not all start with a run of zeros
_HEX = np.frombuffer(b"0123456789abcdef", np.uint8)


def sf_ids(prefix: str, n: int, first: int = 0) -> np.ndarray:
    """18-character Salesforce ids: key prefix, pod, base-62 sequence, case-safe suffix."""
    seq = np.arange(first, first + n, dtype=np.int64) + _SF_SEQUENCE_BASE
    chars = np.empty((n, 18), np.uint8)
    chars[:, :6] = np.frombuffer(prefix.encode() + b"5g0", np.uint8)
    for position in range(9):
        chars[:, 14 - position] = _BASE62[(seq // 62**position) % 62]
    upper = (chars[:, :15] >= ord("A")) & (chars[:, :15] <= ord("Z"))
    chars[:, 15:] = _SF_SUFFIX[upper.reshape(n, 3, 5) @ (1 << np.arange(5))]
    return chars.view("S18").ravel().astype(str)


def ascii_strings(chars: np.ndarray) -> pa.Array:
    """A string array from an (n, width) matrix of ASCII codes, without a Python loop."""
    n, width = chars.shape
    fixed = pa.FixedSizeBinaryArray.from_buffers(
        pa.binary(width), n, [None, pa.py_buffer(np.ascontiguousarray(chars).reshape(-1))])
    return fixed.cast(pa.string())


def hex_ids(rng: np.random.Generator, n: int, n_bytes: int) -> pa.Array:
    raw = rng.integers(0, 256, size=(n, n_bytes), dtype=np.uint8)
    chars = np.empty((n, 2 * n_bytes), np.uint8)
    chars[:, 0::2], chars[:, 1::2] = _HEX[raw >> 4], _HEX[raw & 15]
    return ascii_strings(chars)


def uuids(rng: np.random.Generator, n: int) -> pa.Array:
    """Random (version 4) UUID strings, drawn from the seeded stream."""
    raw = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    raw[:, 6] = raw[:, 6] & 0x0F | 0x40
    raw[:, 8] = raw[:, 8] & 0x3F | 0x80
    digits = np.empty((n, 32), np.uint8)
    digits[:, 0::2], digits[:, 1::2] = _HEX[raw >> 4], _HEX[raw & 15]
    chars = np.full((n, 36), ord("-"), np.uint8)
    for out, src, width in ((0, 0, 8), (9, 8, 4), (14, 12, 4), (19, 16, 4), (24, 20, 12)):
        chars[:, out:out + width] = digits[:, src:src + width]
    return ascii_strings(chars)


# ---- currencies ----------------------------------------------------------------------------
class Fx:
    """Monthly rates in units per 1 EUR (clipped at the ends), drifting randomly, from five
    years before the range: contracts of customers from before the range start there."""

    def __init__(self, sim: Sim, rng: np.random.Generator):
        first = np.datetime64(sim.start, "M") - np.timedelta64(60, "M")
        self.months = np.arange(first, np.datetime64(sim.end, "M") + 1)
        self.currencies = (P.CORPORATE_CURRENCY, *P.FX_START)
        steps = rng.normal(0, P.FX_MONTHLY_VOLATILITY, (len(P.FX_START), len(self.months)))
        steps[:, 0] = 0
        drift = np.exp(np.cumsum(steps, axis=1))
        self.table = np.vstack([np.ones(len(self.months)),
                                np.round(np.array(list(P.FX_START.values()))[:, None] * drift, 6)])

    def rate(self, currency, t_us) -> np.ndarray:
        """Units of `currency` per 1 EUR at the instants `t_us` (arrays broadcast)."""
        codes = np.asarray(currency)
        row = np.zeros(codes.shape, dtype=int)
        for i, code in enumerate(self.currencies):
            row[codes == code] = i
        month = to_date(t_us).astype("datetime64[M]")
        index = np.clip((month - self.months[0]).astype(int), 0, len(self.months) - 1)
        return self.table[row, index]
