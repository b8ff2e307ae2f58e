"""Deflection in every language: whoever the agent makes the culprit, not only the few a phrase list names.

The rubric's `no_deflection` is missed when the trainee blames any third party, and met when they own the
fault or name a technical one (signals.md and guidance.md, "no deflection").
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

# language: (the customer's complaint, replies that blame a third party, (question, reply) pairs that do not)
CASES = {
    "en": (
        "My order is late again.",
        [
            "It's the supplier's fault, not ours.",
            "The mistake was on the bank's side.",
            "The fault lies with the installer.",
        ],
        [
            ("Why was I charged twice?",
             "That was our mistake, I'm sorry; I'll refund it today."),
            ("Is the router broken?",
             "There is a fault on the line; I'll book an engineer for Friday."),
        ],
    ),
    "de": (
        "Warum wurde mir das doppelt abgebucht?",
        [
            "Das ist die Schuld des Lieferanten, nicht unsere.",
            "Der Fehler liegt eindeutig bei der Bank.",
            "Da haben die Kollegen aus dem Vertrieb Mist gebaut.",
            "Das liegt an der Spedition, damit haben wir nichts zu tun.",
        ],
        [
            ("Warum wurde mir das doppelt abgebucht?",
             "Das war unser Fehler, das tut mir leid; ich erstatte Ihnen den Betrag heute."),
            ("Ist mein Router kaputt?",
             "Es gibt eine Störung in der Leitung; ich schicke Ihnen am Freitag einen Techniker."),
        ],
    ),
    "lv": (
        "Kāpēc man atkal izrakstīja dubultu rēķinu?",
        [
            "Tā ir piegādātāja vaina, nevis mūsu.",
            "Kļūda bija bankas pusē.",
            "Vainīgs ir pārvadātājs, mums ar to nav nekāda sakara.",
            "Tas notika partnera kļūdas dēļ.",
        ],
        [
            ("Kāpēc man atkal izrakstīja dubultu rēķinu?",
             "Tā ir mūsu kļūda, atvainojiet, es to šodien izlabošu."),
            ("Vai maršrutētājs ir salūzis?",
             "Līnijā ir bojājums; piektdien atsūtīšu meistaru."),
        ],
    ),
    "nl": (
        "Waarom is mijn bestelling nog niet verstuurd?",
        [
            "Dat is de schuld van de leverancier, niet de onze.",
            "De fout ligt bij de installateur.",
            "Helaas heeft de bank een fout gemaakt.",
            "Daar hebben wij niets mee te maken, de verzekeraar heeft het verprutst.",
        ],
        [
            ("Waarom is mijn bestelling nog niet verstuurd?",
             "Dat is onze fout, het spijt me; ik verstuur hem vandaag nog."),
            ("Is de router kapot?",
             "Er zit een storing op de lijn; ik plan vrijdag een monteur voor u in."),
        ],
    ),
    "pl": (
        "Dlaczego pobrano mnie dwa razy?",
        [
            "To wina hurtowni, nie nasza.",
            "Błąd leży po stronie banku.",
            "Winny jest instalator, źle podłączył router.",
            "Księgowość nawaliła, nic na to nie poradzę.",
        ],
        [
            ("Dlaczego pobrano mnie dwa razy?",
             "To nasz błąd, przepraszam; zwrot dostanie pan jutro."),
            ("Czy router jest zepsuty?",
             "Na linii jest usterka; technik przyjedzie w piątek."),
        ],
    ),
    "ru": (
        "Почему с меня списали деньги дважды?",
        [
            "Это вина поставщика, а не наша.",
            "Ошибка произошла на стороне банка.",
            "Виноват монтажник, он неправильно подключил роутер.",
            "Бухгалтерия напутала, я тут ничего не решаю.",
        ],
        [
            ("Почему с меня списали деньги дважды?",
             "Это наша ошибка, простите; деньги вернутся завтра."),
            ("Роутер сломался?",
             "На линии неисправность; мастер приедет в пятницу."),
        ],
    ),
}


@pytest.mark.parametrize("language", list(CASES))
def test_blaming_any_third_party_misses_no_deflection(run_cli, tmp_path: Path, language: str):
    complaint, blamed, clean = CASES[language]
    turns = [t for text in blamed for t in ({"role": "customer", "text": complaint}, {"role": "trainee", "text": text})]
    turns += [t for question, reply in clean
              for t in ({"role": "customer", "text": question}, {"role": "trainee", "text": reply})]
    path = tmp_path / "d.json"
    path.write_text(json.dumps({"language": language, "turns": turns}, ensure_ascii=False), encoding="utf-8")
    (scored,) = json.loads(run_cli("score", str(path), "--format", "json").stdout)
    statuses = [{c["id"]: c for c in t["criteria"]}["no_deflection"]["status"]
                for t in scored["turns"] if t["role"] == "trainee"]
    assert statuses == ["missed"] * len(blamed) + ["met"] * len(clean)
