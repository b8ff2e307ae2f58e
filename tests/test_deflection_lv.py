"""Latvian deflection: whoever is made the culprit, not only the courier, warehouse or manufacturer the list names."""

from __future__ import annotations

from tests.test_score import criteria, scored, write


def test_blaming_any_third_party_misses_no_deflection_lv(run_cli, tmp_path):
    blamed = ["Tā ir piegādātāja vaina, nevis mūsu.", "Kļūda bija bankas pusē.",
              "Vainīgs ir pārvadātājs, mums ar to nav nekāda sakara.", "Tas notika partnera kļūdas dēļ."]
    turns = [t for text in blamed for t in ({"role": "customer", "text": "Mans pasūtījums atkal kavējas."},
                                            {"role": "trainee", "text": text})]
    turns += [{"role": "customer", "text": "Kāpēc man atkal izrakstīja dubultu rēķinu?"},
              {"role": "trainee", "text": "Tā ir mūsu kļūda, atvainojiet, es to šodien izlabošu."},
              {"role": "customer", "text": "Vai maršrutētājs ir salūzis?"},
              {"role": "trainee", "text": "Līnijā ir bojājums; piektdien atsūtīšu meistaru."}]
    path = write(tmp_path, "d.json", {"language": "lv", "turns": turns})
    _, (result,), _ = scored(run_cli, path)
    statuses = [criteria(t)["no_deflection"]["status"] for t in result["turns"] if t["role"] == "trainee"]
    assert statuses == ["missed", "missed", "missed", "missed", "met", "met"]
