"""Polish `deflection`: any third party made the culprit, not only the ones the phrase list names."""

from __future__ import annotations

from tests.test_score import criteria, scored, write


def test_blaming_any_third_party_misses_no_deflection_pl(run_cli, tmp_path):
    """Whoever is made the culprit; our own fault admitted and a technical fault are not deflection."""
    blamed = ["To wina hurtowni, nie nasza.", "Błąd leży po stronie banku.",
              "Winny jest instalator, źle podłączył router.", "Księgowość nawaliła, nic na to nie poradzę."]
    turns = [t for text in blamed for t in ({"role": "customer", "text": "Moje zamówienie znowu się spóźnia."},
                                            {"role": "trainee", "text": text})]
    turns += [{"role": "customer", "text": "Dlaczego pobrano mnie dwa razy?"},
              {"role": "trainee", "text": "To nasz błąd, przepraszam; zwrot dostanie pan jutro."},
              {"role": "customer", "text": "Czy router jest zepsuty?"},
              {"role": "trainee", "text": "Na linii jest usterka; technik przyjedzie w piątek."}]
    path = write(tmp_path, "d.json", {"language": "pl", "turns": turns})
    _, (result,), _ = scored(run_cli, path)
    statuses = [criteria(t)["no_deflection"]["status"] for t in result["turns"] if t["role"] == "trainee"]
    assert statuses == ["missed", "missed", "missed", "missed", "met", "met"]
