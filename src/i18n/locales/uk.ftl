# Українська
contents = Зміст
unanswered = Відповіді ще немає.
level-junior = Початковий
level-mid = Середній
level-senior = Просунутий
part-number = Частина { $number }
count-questions =
    { $count ->
        [one] { $count } питання
        [few] { $count } питання
        [many] { $count } питань
       *[other] { $count } питання
    }
version = Версія { $version }
part-heading = Частина { $number }. { $title }
toc-count =
    { $count ->
        [one] ({ $count } питання)
        [few] ({ $count } питання)
        [many] ({ $count } питань)
       *[other] ({ $count } питання)
    }
cheatsheet-title = шпаргалка
cheatsheet-meta =
    { $count ->
        [many] Шпаргалка · { $count } питань · версія { $version }
       *[other] Шпаргалка · { $count } питання · версія { $version }
    }
quiz-title = тест
quiz-instructions =
    { $count ->
        [one] Тест · { $count } питання. Дайте на нього відповідь уголос або письмово, перш ніж дивитися відповіді в кінці.
        [many] Тест · { $count } питань. Дайте відповідь на кожне вголос або письмово, перш ніж дивитися відповіді в кінці.
       *[other] Тест · { $count } питання. Дайте відповідь на кожне вголос або письмово, перш ніж дивитися відповіді в кінці.
    }
answer-key = Відповіді
book-counts =
    { $questions ->
        [many] { $questions } питань
       *[other] { $questions } питання
    } у { $sections ->
        [one] { $sections } розділі
       *[other] { $sections } розділах
    }.
book-counts-unanswered =
    { $questions ->
        [many] { $questions } питань
       *[other] { $questions } питання
    } у { $sections ->
        [one] { $sections } розділі
       *[other] { $sections } розділах
    } (без відповіді: { $unanswered }).
edition = Версія { $version } · оновлено { $date }
accessibility-summary = Питання й відповіді у вигляді адаптивного тексту: кожна частина, розділ і питання — заголовок, доступний зі змісту. Блоки коду — це текст; підсвічування використовує не лише колір, а й насиченість і курсив і ніколи не задає тло, тож теми читалки (нічна, сепія) і зміна розміру тексту працюють.
whats-new = Що нового у версії { $version }
whats-new-first = Перша версія
whats-new-added = Додано
whats-new-changed = Змінено
whats-new-removed = Вилучено
whats-new-none = Жодне питання не змінилося.
whats-new-first-count = { whats-new-first }: { $questions }.
whats-new-line = { $label }: { $text }
whats-new-more = { $label }: ще { $count }.
whats-new-counts = додано: { $added }, змінено: { $changed }, вилучено: { $removed }
retired-front = Вилучено у версії { $version }: { $question }
retired-back = Це питання вилучено з банку у версії { $version }. Видаліть цей запис або залиште його для довідки: пошук { $search } у браузері знаходить усі вилучені питання.
xref-number = питання{ "\u00A0" }{ $number }
xref-number-page = питання{ "\u00A0" }{ $number }, с.{ "\u00A0" }{ $page }
deck-version = { $title }, версія { $version }
