# Deutsch
contents = Inhalt
unanswered = Noch nicht beantwortet.
level-junior = Einsteiger
level-mid = Fortgeschritten
level-senior = Experte
part-number = Teil { $number }
count-questions =
    { $count ->
        [one] { $count } Frage
       *[other] { $count } Fragen
    }
version = Version { $version }
part-heading = Teil { $number }. { $title }
toc-count =
    { $count ->
        [one] ({ $count } Frage)
       *[other] ({ $count } Fragen)
    }
cheatsheet-title = Spickzettel
cheatsheet-meta =
    { $count ->
        [one] Spickzettel · { $count } Frage · Version { $version }
       *[other] Spickzettel · { $count } Fragen · Version { $version }
    }
quiz-title = Quiz
quiz-instructions =
    { $count ->
        [one] Quiz · { $count } Frage. Beantworte sie laut oder auf Papier, bevor du zu den Lösungen am Ende blätterst.
       *[other] Quiz · { $count } Fragen. Beantworte jede laut oder auf Papier, bevor du zu den Lösungen am Ende blätterst.
    }
answer-key = Lösungen
book-counts =
    { $questions ->
        [one] { $questions } Frage
       *[other] { $questions } Fragen
    } in { $sections ->
        [one] { $sections } Abschnitt
       *[other] { $sections } Abschnitten
    }.
book-counts-unanswered =
    { $questions ->
        [one] { $questions } Frage
       *[other] { $questions } Fragen
    } in { $sections ->
        [one] { $sections } Abschnitt
       *[other] { $sections } Abschnitten
    } ({ $unanswered } noch unbeantwortet).
edition = Version { $version } · aktualisiert am { $date }
accessibility-summary = Fragen und Antworten als umbrechbarer Text: Jeder Teil, jeder Abschnitt und jede Frage ist eine Überschrift, die über das Inhaltsverzeichnis erreichbar ist. Codeblöcke sind Text; ihre Hervorhebung nutzt neben Farbe auch Schriftstärke und Kursivschrift und setzt nie einen Hintergrund, sodass Lesemodi (Nacht, Sepia) und Textvergrößerung wirken.
whats-new = Neu in Version { $version }
whats-new-first = Erste Version
whats-new-added = Neu
whats-new-changed = Geändert
whats-new-removed = Entfernt
whats-new-none = Keine Frage geändert.
whats-new-first-count = { whats-new-first }: { $questions }.
whats-new-line = { $label }: { $text }
whats-new-more = { $label }: { $count } weitere.
whats-new-counts = { $added } neu, { $changed } geändert, { $removed } entfernt
retired-front = Entfernt in Version { $version }: { $question }
retired-back = Diese Frage wurde in Version { $version } aus der Sammlung entfernt. Lösche diese Notiz oder behalte sie zum Nachschlagen: Eine Suche nach { $search } im Browser findet alle entfernten Fragen.
xref-number = F.{ "\u00A0" }{ $number }
xref-number-page = F.{ "\u00A0" }{ $number }, S.{ "\u00A0" }{ $page }
deck-version = { $title }, Version { $version }
