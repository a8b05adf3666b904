# Português
contents = Sumário
unanswered = Ainda sem resposta.
level-junior = Júnior
level-mid = Pleno
level-senior = Sênior
part-number = Parte { $number }
count-questions =
    { $count ->
        [one] { $count } pergunta
       *[other] { $count } perguntas
    }
version = Versão { $version }
part-heading = Parte { $number }. { $title }
toc-count =
    { $count ->
        [one] ({ $count } pergunta)
       *[other] ({ $count } perguntas)
    }
cheatsheet-title = resumo
cheatsheet-meta =
    { $count ->
        [one] Resumo · { $count } pergunta · versão { $version }
       *[other] Resumo · { $count } perguntas · versão { $version }
    }
quiz-title = questionário
quiz-instructions =
    { $count ->
        [one] Questionário · { $count } pergunta. Responda-a em voz alta ou no papel antes de consultar o gabarito no final.
       *[other] Questionário · { $count } perguntas. Responda a cada uma em voz alta ou no papel antes de consultar o gabarito no final.
    }
answer-key = Gabarito
book-counts =
    { $questions ->
        [one] { $questions } pergunta
       *[other] { $questions } perguntas
    } em { $sections ->
        [one] { $sections } seção
       *[other] { $sections } seções
    }.
book-counts-unanswered =
    { $questions ->
        [one] { $questions } pergunta
       *[other] { $questions } perguntas
    } em { $sections ->
        [one] { $sections } seção
       *[other] { $sections } seções
    } ({ $unanswered } ainda sem resposta).
edition = Versão { $version } · atualizado em { $date }
accessibility-summary = Perguntas e respostas como texto refluível: cada parte, seção e pergunta é um título acessível a partir do sumário. Os blocos de código são texto; o realce usa peso e itálico além da cor e nunca define um fundo, então os temas do leitor (noturno, sépia) e o redimensionamento do texto funcionam.
whats-new = Novidades da versão { $version }
whats-new-first = Primeira versão
whats-new-added = Adicionadas
whats-new-changed = Alteradas
whats-new-removed = Removidas
whats-new-none = Nenhuma pergunta foi alterada.
whats-new-first-count = { whats-new-first }: { $questions }.
whats-new-line = { $label }: { $text }
whats-new-more = { $label }: mais { $count }.
whats-new-counts = adicionadas: { $added }, alteradas: { $changed }, removidas: { $removed }
retired-front = Removida na versão { $version }: { $question }
retired-back = Esta pergunta foi removida do banco na versão { $version }. Apague esta nota ou guarde-a para consulta: buscar { $search } no navegador encontra todas as perguntas removidas.
xref-number = P.{ "\u00A0" }{ $number }
xref-number-page = P.{ "\u00A0" }{ $number }, p.{ "\u00A0" }{ $page }
deck-version = { $title }, versão { $version }
