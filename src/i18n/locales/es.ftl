# Español
contents = Índice
unanswered = Aún sin respuesta.
level-junior = Júnior
level-mid = Intermedio
level-senior = Sénior
part-number = Parte { $number }
count-questions =
    { $count ->
        [one] { $count } pregunta
       *[other] { $count } preguntas
    }
version = Versión { $version }
part-heading = Parte { $number }. { $title }
toc-count =
    { $count ->
        [one] ({ $count } pregunta)
       *[other] ({ $count } preguntas)
    }
cheatsheet-title = chuleta
cheatsheet-meta =
    { $count ->
        [one] Chuleta · { $count } pregunta · versión { $version }
       *[other] Chuleta · { $count } preguntas · versión { $version }
    }
quiz-title = cuestionario
quiz-instructions =
    { $count ->
        [one] Cuestionario · { $count } pregunta. Respóndela en voz alta o por escrito antes de pasar a las soluciones del final.
       *[other] Cuestionario · { $count } preguntas. Responde cada una en voz alta o por escrito antes de pasar a las soluciones del final.
    }
answer-key = Soluciones
book-counts =
    { $questions ->
        [one] { $questions } pregunta
       *[other] { $questions } preguntas
    } en { $sections ->
        [one] { $sections } sección
       *[other] { $sections } secciones
    }.
book-counts-unanswered =
    { $questions ->
        [one] { $questions } pregunta
       *[other] { $questions } preguntas
    } en { $sections ->
        [one] { $sections } sección
       *[other] { $sections } secciones
    } ({ $unanswered } aún sin respuesta).
edition = Versión { $version } · actualizado el { $date }
accessibility-summary = Preguntas y respuestas como texto adaptable: cada parte, sección y pregunta es un encabezado accesible desde la tabla de contenido. Los bloques de código son texto; su resaltado usa el grosor y la cursiva además del color y nunca fija un fondo, de modo que los temas del lector (noche, sepia) y el cambio de tamaño del texto se aplican.
whats-new = Novedades de la versión { $version }
whats-new-first = Primera versión
whats-new-added = Añadidas
whats-new-changed = Modificadas
whats-new-removed = Eliminadas
whats-new-none = Ninguna pregunta ha cambiado.
whats-new-first-count = { whats-new-first }: { $questions }.
whats-new-line = { $label }: { $text }
whats-new-more = { $label }: { $count } más.
whats-new-counts = añadidas: { $added }, modificadas: { $changed }, eliminadas: { $removed }
retired-front = Eliminada en la versión { $version }: { $question }
retired-back = Esta pregunta se eliminó del banco en la versión { $version }. Borra esta nota o consérvala como referencia: al buscar { $search } en el navegador aparecen todas las preguntas eliminadas.
xref-number = P.{ "\u00A0" }{ $number }
xref-number-page = P.{ "\u00A0" }{ $number }, pág.{ "\u00A0" }{ $page }
deck-version = { $title }, versión { $version }
