from django.views import View  # placeholder until the jury views land


class JuryListView(View):
    pass


class JuryScoreView(View):
    pass


class DeclareConflictView(View):
    pass
