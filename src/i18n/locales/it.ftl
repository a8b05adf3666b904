# Italiano
contents = Indice
unanswered = Risposta non ancora disponibile.
level-junior = Principiante
level-mid = Intermedio
level-senior = Esperto
part-number = Parte { $number }
count-questions =
    { $count ->
        [one] { $count } domanda
       *[other] { $count } domande
    }
version = Versione { $version }
part-heading = Parte { $number }. { $title }
toc-count =
    { $count ->
        [one] ({ $count } domanda)
       *[other] ({ $count } domande)
    }
cheatsheet-title = promemoria
cheatsheet-meta =
    { $count ->
        [one] Promemoria · { $count } domanda · versione { $version }
       *[other] Promemoria · { $count } domande · versione { $version }
    }
quiz-title = quiz
quiz-instructions =
    { $count ->
        [one] Quiz · { $count } domanda. Rispondi ad alta voce o su carta prima di passare alle soluzioni in fondo.
       *[other] Quiz · { $count } domande. Rispondi a ciascuna ad alta voce o su carta prima di passare alle soluzioni in fondo.
    }
answer-key = Soluzioni
book-counts =
    { $questions ->
        [one] { $questions } domanda
       *[other] { $questions } domande
    } in { $sections ->
        [one] { $sections } sezione
       *[other] { $sections } sezioni
    }.
book-counts-unanswered =
    { $questions ->
        [one] { $questions } domanda
       *[other] { $questions } domande
    } in { $sections ->
        [one] { $sections } sezione
       *[other] { $sections } sezioni
    } ({ $unanswered } ancora senza risposta).
edition = Versione { $version } · aggiornato il { $date }
accessibility-summary = Domande e risposte come testo adattabile: ogni parte, sezione e domanda è un titolo raggiungibile dall’indice. I blocchi di codice sono testo; l’evidenziazione usa peso e corsivo oltre al colore e non imposta mai uno sfondo, così i temi di lettura (notte, seppia) e il ridimensionamento del testo funzionano.
whats-new = Novità della versione { $version }
whats-new-first = Prima versione
whats-new-added = Aggiunte
whats-new-changed = Modificate
whats-new-removed = Rimosse
whats-new-none = Nessuna domanda modificata.
whats-new-first-count = { whats-new-first }: { $questions }.
whats-new-line = { $label }: { $text }
whats-new-more = { $label }: altre { $count }.
whats-new-counts = aggiunte: { $added }, modificate: { $changed }, rimosse: { $removed }
retired-front = Rimossa nella versione { $version }: { $question }
retired-back = Questa domanda è stata rimossa dalla raccolta nella versione { $version }. Elimina questa nota o conservala come riferimento: cercando { $search } nel browser trovi tutte le domande rimosse.
xref-number = D.{ "\u00A0" }{ $number }
xref-number-page = D.{ "\u00A0" }{ $number }, p.{ "\u00A0" }{ $page }
deck-version = { $title }, versione { $version }
