"""Dutch `deflection`: any third party made the culprit, not only the ones the list names."""

from __future__ import annotations

from tests.test_score import criteria, scored, write


def test_blaming_any_third_party_misses_no_deflection_in_dutch(run_cli, tmp_path):
    """The supplier, the bank, the installer: whoever is blamed; our own fault and a fault on the line are not deflection."""
    blamed = ["Dat is de schuld van de leverancier, niet de onze.", "De fout ligt bij de installateur.",
              "Helaas heeft de bank een fout gemaakt.", "Daar hebben wij niets mee te maken, de verzekeraar heeft het verprutst."]
    turns = [t for text in blamed for t in ({"role": "customer", "text": "Mijn bestelling is weer te laat."},
                                            {"role": "trainee", "text": text})]
    turns += [{"role": "customer", "text": "Waarom is mijn bestelling nog niet verstuurd?"},
              {"role": "trainee", "text": "Dat is onze fout, het spijt me; ik verstuur hem vandaag nog."},
              {"role": "customer", "text": "Is de router kapot?"},
              {"role": "trainee", "text": "Er zit een storing op de lijn; ik plan vrijdag een monteur voor u in."}]
    path = write(tmp_path, "d.json", {"language": "nl", "turns": turns})
    _, (result,), _ = scored(run_cli, path)
    statuses = [criteria(t)["no_deflection"]["status"] for t in result["turns"] if t["role"] == "trainee"]
    assert statuses == ["missed", "missed", "missed", "missed", "met", "met"]
