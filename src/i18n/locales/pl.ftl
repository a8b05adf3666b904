# Polski
contents = Spis treści
unanswered = Jeszcze bez odpowiedzi.
level-junior = Początkujący
level-mid = Średniozaawansowany
level-senior = Zaawansowany
part-number = Część { $number }
count-questions =
    { $count ->
        [one] { $count } pytanie
        [few] { $count } pytania
        [many] { $count } pytań
       *[other] { $count } pytania
    }
version = Wersja { $version }
part-heading = Część { $number }. { $title }
toc-count =
    { $count ->
        [one] ({ $count } pytanie)
        [few] ({ $count } pytania)
        [many] ({ $count } pytań)
       *[other] ({ $count } pytania)
    }
cheatsheet-title = ściąga
cheatsheet-meta =
    { $count ->
        [one] Ściąga · { $count } pytanie · wersja { $version }
        [few] Ściąga · { $count } pytania · wersja { $version }
        [many] Ściąga · { $count } pytań · wersja { $version }
       *[other] Ściąga · { $count } pytania · wersja { $version }
    }
quiz-title = quiz
quiz-instructions =
    { $count ->
        [one] Quiz · { $count } pytanie. Odpowiedz na nie na głos lub na papierze, zanim zajrzysz do odpowiedzi na końcu.
        [few] Quiz · { $count } pytania. Odpowiedz na każde na głos lub na papierze, zanim zajrzysz do odpowiedzi na końcu.
        [many] Quiz · { $count } pytań. Odpowiedz na każde na głos lub na papierze, zanim zajrzysz do odpowiedzi na końcu.
       *[other] Quiz · { $count } pytania. Odpowiedz na każde na głos lub na papierze, zanim zajrzysz do odpowiedzi na końcu.
    }
answer-key = Odpowiedzi
book-counts =
    { $questions ->
        [one] { $questions } pytanie
        [few] { $questions } pytania
        [many] { $questions } pytań
       *[other] { $questions } pytania
    } w { $sections ->
        [one] { $sections } sekcji
       *[other] { $sections } sekcjach
    }.
book-counts-unanswered =
    { $questions ->
        [one] { $questions } pytanie
        [few] { $questions } pytania
        [many] { $questions } pytań
       *[other] { $questions } pytania
    } w { $sections ->
        [one] { $sections } sekcji
       *[other] { $sections } sekcjach
    } (bez odpowiedzi: { $unanswered }).
edition = Wersja { $version } · zaktualizowano { $date }
accessibility-summary = Pytania i odpowiedzi jako tekst dopasowujący się do ekranu: każda część, sekcja i pytanie to nagłówek dostępny ze spisu treści. Bloki kodu są tekstem; wyróżnianie składni używa oprócz koloru także grubości i kursywy i nigdy nie ustawia tła, więc motywy czytnika (nocny, sepia) i zmiana rozmiaru tekstu działają.
whats-new = Nowości w wersji { $version }
whats-new-first = Pierwsza wersja
whats-new-added = Dodane
whats-new-changed = Zmienione
whats-new-removed = Usunięte
whats-new-none = Żadne pytanie się nie zmieniło.
whats-new-first-count = { whats-new-first }: { $questions }.
whats-new-line = { $label }: { $text }
whats-new-more = { $label }: jeszcze { $count }.
whats-new-counts = dodane: { $added }, zmienione: { $changed }, usunięte: { $removed }
retired-front = Usunięte w wersji { $version }: { $question }
retired-back = To pytanie zostało usunięte z bazy w wersji { $version }. Usuń tę notatkę albo zachowaj ją do wglądu: wyszukanie { $search } w przeglądarce znajduje wszystkie usunięte pytania.
xref-number = pyt.{ "\u00A0" }{ $number }
xref-number-page = pyt.{ "\u00A0" }{ $number }, s.{ "\u00A0" }{ $page }
deck-version = { $title }, wersja { $version }
