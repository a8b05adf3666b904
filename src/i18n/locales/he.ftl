# עברית
contents = תוכן העניינים
unanswered = השאלה טרם נענתה.
level-junior = מתחיל
level-mid = בינוני
level-senior = מתקדם
part-number = חלק { $number }
count-questions =
    { $count ->
        [one] שאלה אחת
        [two] שתי שאלות
       *[other] { $count } שאלות
    }
version = גרסה { $version }
part-heading = חלק { $number }. { $title }
toc-count =
    { $count ->
        [one] (שאלה אחת)
        [two] (שתי שאלות)
       *[other] ({ $count } שאלות)
    }
cheatsheet-title = דף עזר
cheatsheet-meta =
    { $count ->
        [one] דף עזר · שאלה אחת · גרסה { $version }
        [two] דף עזר · שתי שאלות · גרסה { $version }
       *[other] דף עזר · { $count } שאלות · גרסה { $version }
    }
quiz-title = בוחן
quiz-instructions =
    { $count ->
        [one] בוחן · שאלה אחת. ענו עליה בקול או על הנייר לפני שתעברו למפתח התשובות בסוף.
        [two] בוחן · שתי שאלות. ענו על כל אחת בקול או על הנייר לפני שתעברו למפתח התשובות בסוף.
       *[other] בוחן · { $count } שאלות. ענו על כל אחת בקול או על הנייר לפני שתעברו למפתח התשובות בסוף.
    }
answer-key = מפתח תשובות
book-counts =
    { $questions ->
        [one] שאלה אחת
        [two] שתי שאלות
       *[other] { $questions } שאלות
    } { $sections ->
        [one] בפרק אחד
        [two] בשני פרקים
       *[other] ב־{ $sections } פרקים
    }.
book-counts-unanswered =
    { $questions ->
        [one] שאלה אחת
        [two] שתי שאלות
       *[other] { $questions } שאלות
    } { $sections ->
        [one] בפרק אחד
        [two] בשני פרקים
       *[other] ב־{ $sections } פרקים
    } (ללא תשובה עדיין: { $unanswered }).
edition = גרסה { $version } · עודכן ב־{ $date }
accessibility-summary = שאלות ותשובות כטקסט זורם: כל חלק, פרק ושאלה הם כותרת שאפשר להגיע אליה מתוכן העניינים. קטעי הקוד הם טקסט; ההדגשה שלהם משתמשת גם בעובי ובנטוי ולא רק בצבע, ולעולם אינה קובעת רקע, כך שערכות הנושא של הקורא (לילה, ספיה) ושינוי גודל הטקסט חלים עליהם.
whats-new = מה חדש בגרסה { $version }
whats-new-first = גרסה ראשונה
whats-new-added = נוספו
whats-new-changed = שונו
whats-new-removed = הוסרו
whats-new-none = אף שאלה לא השתנתה.
whats-new-first-count = { whats-new-first }: { $questions }.
whats-new-line = { $label }: { $text }
whats-new-more = { $label }: עוד { $count }.
whats-new-counts = נוספו: { $added }, השתנו: { $changed }, הוסרו: { $removed }
retired-front = הוסרה בגרסה { $version }: { $question }
retired-back = השאלה הזו הוסרה מהמאגר בגרסה { $version }. מחקו את הפתק הזה או שמרו אותו לעיון: חיפוש { $search } בדפדפן מוצא את כל השאלות שהוסרו.
xref-number = שאלה{ "\u00A0" }{ $number }
xref-number-page = שאלה{ "\u00A0" }{ $number }, עמ׳{ "\u00A0" }{ $page }
deck-version = { $title }, גרסה { $version }
