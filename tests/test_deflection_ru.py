"""Russian `deflection`: any third party made the culprit, not only the ones the phrase list names."""

from __future__ import annotations

from tests.test_score import criteria, scored, write


def test_blaming_any_third_party_misses_no_deflection_ru(run_cli, tmp_path):
    """Whoever is made the culprit; our own fault admitted and a technical fault are not deflection."""
    blamed = ["Это вина поставщика, а не наша.", "Ошибка произошла на стороне банка.",
              "Виноват монтажник, он неправильно подключил роутер.", "Бухгалтерия напутала, я тут ничего не решаю."]
    turns = [t for text in blamed for t in ({"role": "customer", "text": "Мой заказ опять опаздывает."},
                                            {"role": "trainee", "text": text})]
    turns += [{"role": "customer", "text": "Почему с меня списали деньги дважды?"},
              {"role": "trainee", "text": "Это наша ошибка, простите; деньги вернутся завтра."},
              {"role": "customer", "text": "Роутер сломался?"},
              {"role": "trainee", "text": "На линии неисправность; мастер приедет в пятницу."}]
    path = write(tmp_path, "d.json", {"language": "ru", "turns": turns})
    _, (result,), _ = scored(run_cli, path)
    statuses = [criteria(t)["no_deflection"]["status"] for t in result["turns"] if t["role"] == "trainee"]
    assert statuses == ["missed", "missed", "missed", "missed", "met", "met"]
