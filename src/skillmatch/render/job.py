"""What ``skillmatch job`` prints: each requirement read from an ad, with its category, whether
it is required or preferred, its weight and the ad line it came from, then the stated years,
degree and role, and the text kept out of the requirements."""

from __future__ import annotations

import json
from collections import Counter

from skillmatch.score.job_file import requirements_dict
from skillmatch.score.requirements import JobRequirements
from skillmatch.taxonomy.model import Taxonomy

#: How much of an ad line a table row quotes.
LINE_CHARS = 70


def _name(ids: tuple[str, ...], label: str, taxonomy: Taxonomy) -> str:
    if label:
        return label
    return " or ".join(taxonomy.skills[i].name if i in taxonomy.skills else i for i in ids)


def _cut(text: str, limit: int = LINE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def job_table(requirements: JobRequirements, taxonomy: Taxonomy, source: str) -> str:
    """The reading of a job ad as a plain-text table."""
    out = [f"Job: {source}", f"Requirements ({len(requirements)}), heaviest first:"]
    rows = sorted(requirements, key=lambda r: -r.weight)
    width = max((len(_name(r.requirement.ids, r.requirement.label, taxonomy)) for r in rows),
                default=10)  # fmt: skip
    width = min(width, 34)
    out.append(f"  {'requirement':{width}}  {'category':12}  {'kind':9}  weight  from the ad")
    for r in rows:
        ids = r.requirement.ids
        category = taxonomy.skills[ids[0]].category if ids[0] in taxonomy.skills else "?"
        kind = "required" if r.requirement.required else "preferred"
        if r.equivalent:
            kind += "~"  # or equivalent experience
        name = _cut(_name(ids, r.requirement.label, taxonomy), width)
        out.append(f'  {name:{width}}  {category:12}  {kind:9}  {r.weight:6.2f}  "{_cut(r.line)}"')
        if r.why:
            out.append(f"  {'':{width}}  weight: {r.why}")
    for y in requirements.years:
        what = " or ".join(y.skill_ids) if y.skill_ids else "overall"
        kind = "required" if y.required else "preferred"
        out.append(f'Years: {y.years:g}+ ({what}, {kind}): "{_cut(y.text)}"')
    if requirements.degree is not None:
        d = requirements.degree
        level = d.level or d.preferred_level or "?"
        fields = ", ".join(d.fields) or "any field"
        out.append(f'Degree: {level} in {fields}: "{_cut(d.text)}"')
    if requirements.roles:
        names = [taxonomy.skills[r].name if r in taxonomy.skills else r for r in requirements.roles]
        out.append("Role: " + ", ".join(names))
    if requirements.set_aside:
        counts = Counter(s.kind for s in requirements.set_aside)
        out.append(
            "Not requirements (set aside): "
            + ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()))
        )
        for s in requirements.set_aside:
            out.append(f'  {s.kind:9}  "{_cut(s.text)}"')
    out.append("Weights: src/skillmatch/data/scoring.yaml; cue words: data/job_reading.yaml")
    return "\n".join(out) + "\n"


def job_json(requirements: JobRequirements, taxonomy: Taxonomy, source: str) -> str:
    """The reading of a job ad as JSON (the fields of the requirements file)."""
    data = {"version": "1.0", "job": source, **requirements_dict(requirements, taxonomy)}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
