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
