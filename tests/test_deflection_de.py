"""German deflection: whoever the agent makes the culprit, not only the courier or manufacturer the list names."""

from __future__ import annotations

import json
from pathlib import Path


def test_blaming_any_third_party_misses_no_deflection_in_german(run_cli, tmp_path: Path):
    blamed = ["Das ist die Schuld des Lieferanten, nicht unsere.", "Der Fehler liegt eindeutig bei der Bank.",
              "Da haben die Kollegen aus dem Vertrieb Mist gebaut.", "Das liegt an der Spedition, damit haben wir nichts zu tun."]
    turns = [t for text in blamed for t in ({"role": "customer", "text": "Meine Bestellung ist schon wieder zu spät."},
                                            {"role": "trainee", "text": text})]
    turns += [{"role": "customer", "text": "Warum wurde mir das doppelt abgebucht?"},
              {"role": "trainee", "text": "Das war unser Fehler, das tut mir leid; ich erstatte Ihnen den Betrag heute."},
              {"role": "customer", "text": "Ist mein Router kaputt?"},
              {"role": "trainee", "text": "Es gibt eine Störung in der Leitung; ich schicke Ihnen am Freitag einen Techniker."}]
    path = tmp_path / "d.json"
    path.write_text(json.dumps({"language": "de", "turns": turns}), encoding="utf-8")
    result = run_cli("score", str(path), "--format", "json")
    (scored,) = json.loads(result.stdout)
    statuses = [{c["id"]: c for c in t["criteria"]}["no_deflection"]["status"]
                for t in scored["turns"] if t["role"] == "trainee"]
    assert statuses == ["missed", "missed", "missed", "missed", "met", "met"]
