# Français
contents = Sommaire
unanswered = Pas encore de réponse.
level-junior = Débutant
level-mid = Intermédiaire
level-senior = Confirmé
part-number = Partie { $number }
count-questions =
    { $count ->
        [one] { $count } question
       *[other] { $count } questions
    }
version = Version { $version }
part-heading = Partie { $number }. { $title }
toc-count =
    { $count ->
        [one] ({ $count } question)
       *[other] ({ $count } questions)
    }
cheatsheet-title = aide-mémoire
cheatsheet-meta =
    { $count ->
        [one] Aide-mémoire · { $count } question · version { $version }
       *[other] Aide-mémoire · { $count } questions · version { $version }
    }
quiz-title = quiz
quiz-instructions =
    { $count ->
        [one] Quiz · { $count } question. Répondez-y à voix haute ou sur papier avant de consulter le corrigé à la fin.
       *[other] Quiz · { $count } questions. Répondez à chacune à voix haute ou sur papier avant de consulter le corrigé à la fin.
    }
answer-key = Corrigé
book-counts =
    { $questions ->
        [one] { $questions } question
       *[other] { $questions } questions
    } réparties en { $sections ->
        [one] { $sections } section
       *[other] { $sections } sections
    }.
book-counts-unanswered =
    { $questions ->
        [one] { $questions } question
       *[other] { $questions } questions
    } réparties en { $sections ->
        [one] { $sections } section
       *[other] { $sections } sections
    } ({ $unanswered } encore sans réponse).
edition = Version { $version } · mise à jour le { $date }
accessibility-summary = Questions et réponses en texte recomposable : chaque partie, section et question est un titre accessible depuis la table des matières. Les blocs de code sont du texte ; leur coloration utilise aussi la graisse et l’italique, jamais un fond, si bien que les thèmes de lecture (nuit, sépia) et l’agrandissement du texte s’appliquent.
whats-new = Nouveautés de la version { $version }
whats-new-first = Première version
whats-new-added = Ajoutées
whats-new-changed = Modifiées
whats-new-removed = Supprimées
whats-new-none = Aucune question modifiée.
whats-new-first-count = { whats-new-first }{ "\u00A0" }: { $questions }.
whats-new-line = { $label }{ "\u00A0" }: { $text }
whats-new-more = { $label }{ "\u00A0" }: { $count } de plus.
whats-new-counts = ajoutées{ "\u00A0" }: { $added }, modifiées{ "\u00A0" }: { $changed }, supprimées{ "\u00A0" }: { $removed }
retired-front = Supprimée dans la version { $version }{ "\u00A0" }: { $question }
retired-back = Cette question a été retirée de la banque dans la version { $version }. Supprimez cette note ou gardez-la pour mémoire{ "\u00A0" }: une recherche de { $search } dans le navigateur trouve toutes les questions retirées.
xref-number = Q{ "\u00A0" }{ $number }
xref-number-page = Q{ "\u00A0" }{ $number }, p.{ "\u00A0" }{ $page }
deck-version = { $title }, version { $version }
